/**
 * Gives every request and response body of the OpenAPI document a name in `components.schemas`, so
 * that client generators (openapi-typescript, openapi-generator) emit a named type per body instead of
 * anonymous inline shapes. @fastify/swagger inlines the route schemas; this pass, run on its output,
 * moves them out:
 *
 * - a schema with a `title` (the shared TypeBox schemas: `Problem`, `Application`, `OAuthError`, …) is
 *   stored under that title wherever it occurs, nested ones too, and referenced by `$ref`;
 * - a body left without a title is named after its operation: `<OperationId>Request`, and
 *   `<OperationId>Response` (with the status appended when the operation has several such bodies).
 *
 * Two different schemas under one name are a programming error, thrown when the document is built
 * (the OpenAPI test then fails), never a silent overwrite.
 */
type Json = null | boolean | number | string | Json[] | JsonObject;
interface JsonObject {
  [key: string]: Json;
}

const SCHEMAS = '#/components/schemas/';
const HTTP_METHODS: ReadonlySet<string> = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

const isObject = (value: Json | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

const objectsIn = (value: Json | undefined): JsonObject[] => (isObject(value) ? Object.values(value).filter(isObject) : []);

/** `regenerateEnvironmentSecret` → `RegenerateEnvironmentSecret`. */
const pascal = (camel: string): string => camel.charAt(0).toUpperCase() + camel.slice(1);

function namer(schemas: JsonObject) {
  const known = new Map<string, string>(Object.entries(schemas).map(([name, schema]) => [name, JSON.stringify(schema)]));
  const store = (name: string, schema: JsonObject): JsonObject => {
    const text = JSON.stringify(schema);
    const previous = known.get(name);
    if (previous !== undefined && previous !== text) throw new Error(`OpenAPI: two different schemas are named "${name}"; give one of them another title`);
    known.set(name, text);
    schemas[name] = schema;
    return { $ref: `${SCHEMAS}${name}` };
  };
  // Depth first, so a titled schema is stored with its titled parts already referenced.
  const hoist = (value: Json): Json => {
    if (Array.isArray(value)) return value.map(hoist);
    if (!isObject(value)) return value;
    const copy: JsonObject = Object.fromEntries(Object.entries(value).map(([key, child]) => [key, hoist(child)]));
    return typeof copy.title === 'string' && copy.$ref === undefined ? store(copy.title, copy) : copy;
  };
  /** The body's schema as a `$ref`: its own title's, else `fallback`. */
  const name = (media: JsonObject, fallback: string): void => {
    const schema = media.schema;
    if (schema === undefined) return;
    const hoisted = hoist(schema);
    media.schema = isObject(hoisted) && hoisted.$ref === undefined ? store(fallback, hoisted) : hoisted;
  };
  return name;
}

function nameOperation(name: (media: JsonObject, fallback: string) => void, operation: JsonObject): void {
  const id = operation.operationId;
  if (typeof id !== 'string') throw new Error('OpenAPI: an operation has no operationId; add one to its route schema');
  const base = pascal(id);
  const requestBody = operation.requestBody;
  for (const media of objectsIn(isObject(requestBody) ? requestBody.content : undefined)) name(media, `${base}Request`);
  const responses = Object.entries(isObject(operation.responses) ? operation.responses : {}).filter(
    (entry): entry is [string, JsonObject] => isObject(entry[1]) && isObject(entry[1].content),
  );
  // The status tells apart the untitled bodies of one operation (201 and 202, say); a lone one needs none.
  const untitled = responses.filter(([, response]) => objectsIn(response.content).some((media) => isObject(media.schema) && typeof media.schema.title !== 'string'));
  for (const [status, response] of responses) {
    const suffix = untitled.length > 1 ? status : '';
    for (const media of objectsIn(response.content)) name(media, `${base}Response${suffix}`);
  }
}

/** The document with every body named (changed in place and returned, for @fastify/swagger's `transformObject`). */
export function nameBodySchemas<Document extends object>(openapi: Document): Document {
  // The plugin's document type has no index signature; the walk below checks every node's shape itself.
  const document = openapi as unknown as JsonObject;
  const components = isObject(document.components) ? document.components : (document.components = {});
  const schemas = isObject(components.schemas) ? components.schemas : (components.schemas = {});
  const name = namer(schemas);
  for (const pathItem of objectsIn(document.paths)) {
    for (const [method, operation] of Object.entries(pathItem)) {
      if (HTTP_METHODS.has(method) && isObject(operation)) nameOperation(name, operation);
    }
  }
  components.schemas = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
  return openapi;
}
