import { ACCESS_TOKEN_SCHEMA, AUTHENTICATE_SCHEMA, TOKEN_API_POST_SCHEMA, TOKEN_SCHEMA } from '@latchkey/contract';
import type { MessageKey } from '../i18n/i18n.js';

/**
 * How each token endpoint is called: what the Get Access Token page documents, builds and sends. The
 * fields (names, required-ness, lengths, fixed values), the body schema and the response statuses come
 * from the endpoints' own schemas in @latchkey/contract; this file only says which of a schema's fields
 * the page's request fills, from what, and the words that explain each field and status to a reader.
 */
export type Format = 'json' | 'form';

/** Where a field's value comes from: the credential, the form, or the schema's fixed value. */
type ValueSource = 'clientId' | 'clientSecret' | 'scope' | 'username' | 'fixed';

export interface DialectField {
  readonly name: string;
  readonly required: boolean;
  readonly maxLength?: number;
  /** The key of `values` that fills it, or the fixed value itself (grant_type). */
  readonly value: string;
  readonly description: MessageKey;
}

export interface ResponseCode {
  readonly status: number;
  readonly meaning: MessageKey;
  readonly action: MessageKey;
}

export interface Dialect {
  readonly id: 'oauth2' | 'access-token' | 'authenticate' | 'token-api';
  readonly label: MessageKey;
  readonly note: MessageKey;
  readonly path: string;
  readonly formats: readonly Format[];
  readonly fields: readonly DialectField[];
  readonly tokenField: string;
  readonly codes: readonly ResponseCode[];
  /** The endpoint's request body schema, as the Schema tab shows it. */
  readonly schema: object;
}

/** What the page reads of a JSON Schema property. */
interface PropertySchema {
  readonly maxLength?: number;
  readonly const?: unknown;
}

interface EndpointSchema {
  readonly body: { readonly properties: object; readonly required?: readonly string[] };
  readonly response: object;
}

interface FieldUse {
  readonly from: ValueSource;
  readonly description: MessageKey;
  /** Of a field whose schema allows several values (grant_type), the one this page sends. */
  readonly fixed?: string;
}

type Text = readonly [meaning: MessageKey, action: MessageKey];

/**
 * A dialect from its endpoint schema. `fields` names the schema properties the page's request fills (the
 * compiler refuses a name the schema lacks); `codes` must explain every status the schema documents.
 */
function dialect<S extends EndpointSchema>(
  schema: S,
  page: Omit<Dialect, 'fields' | 'codes' | 'schema'> & {
    readonly fields: { readonly [K in keyof S['body']['properties']]?: FieldUse };
    readonly codes: { readonly [K in keyof S['response']]: Text };
  },
): Dialect {
  const required = new Set(schema.body.required ?? []);
  const uses: Readonly<Record<string, FieldUse | undefined>> = page.fields;
  const properties = schema.body.properties as Readonly<Record<string, PropertySchema>>;
  const fields = Object.entries(properties).flatMap(([name, property]): DialectField[] => {
    const use = uses[name];
    if (!use) return [];
    const fixed = use.fixed ?? (typeof property.const === 'string' ? property.const : undefined);
    return [{ name, required: required.has(name), ...(property.maxLength === undefined ? {} : { maxLength: property.maxLength }), value: use.from === 'fixed' ? (fixed ?? '') : use.from, description: use.description }];
  });
  const texts: Readonly<Record<string, Text>> = page.codes;
  const codes = Object.keys(schema.response)
    .map(Number)
    .sort((a, b) => a - b)
    .map((status) => {
      const text = texts[String(status)];
      // The compiler sees every documented status; this guards a schema typed more loosely than it is.
      if (!text) throw new Error(`${page.id}: no words for the documented status ${status}`);
      return { status, meaning: text[0], action: text[1] };
    });
  return { ...page, fields, codes, schema: schema.body };
}

const OK: Text = ['code.ok', 'code.okAction'];
const LIMITED: Text = ['code.limited', 'code.limitedAction'];
const BAD_CLIENT: Text = ['code.badClient', 'code.badClientAction'];
const BAD_PASSWORD: Text = ['code.badPassword', 'code.badPasswordAction'];
const VALIDATION: Text = ['code.validation', 'code.validationAction'];
const FORBIDDEN: Text = ['code.forbidden', 'code.forbiddenAction'];
const TOO_LARGE: Text = ['code.tooLarge', 'code.tooLargeAction'];
const UNAVAILABLE: Text = ['code.unavailable', 'code.unavailableAction'];

export const DIALECTS: readonly Dialect[] = [
  dialect(TOKEN_SCHEMA, {
    id: 'oauth2',
    label: 'dialect.oauth2',
    note: 'dialect.oauth2Note',
    path: '/oauth/token',
    formats: ['form'],
    // client_secret_post: the credential as form fields (HTTP Basic is the schema's other way).
    fields: {
      grant_type: { from: 'fixed', fixed: 'client_credentials', description: 'fieldDoc.grantType' },
      scope: { from: 'scope', description: 'fieldDoc.scope' },
      client_id: { from: 'clientId', description: 'fieldDoc.clientIdPost' },
      client_secret: { from: 'clientSecret', description: 'fieldDoc.clientSecretPost' },
    },
    tokenField: 'access_token',
    codes: { 200: OK, 400: ['code.oauth400', 'code.oauth400Action'], 401: BAD_CLIENT, 403: FORBIDDEN, 413: TOO_LARGE, 415: ['code.mediaType', 'code.mediaTypeAction'], 429: LIMITED, 503: UNAVAILABLE },
  }),
  dialect(ACCESS_TOKEN_SCHEMA, {
    id: 'access-token',
    label: 'dialect.accessToken',
    note: 'dialect.accessTokenNote',
    path: '/api/v1/access-token',
    formats: ['json', 'form'],
    fields: {
      client_id: { from: 'clientId', description: 'fieldDoc.clientId' },
      client_secret: { from: 'clientSecret', description: 'fieldDoc.clientSecret' },
      scope: { from: 'scope', description: 'fieldDoc.scope' },
    },
    tokenField: 'access_token',
    codes: {
      200: OK,
      400: ['code.badScope', 'code.badScopeAction'],
      401: BAD_CLIENT,
      404: ['code.unknownClient', 'code.unknownClientAction'],
      412: VALIDATION,
      413: TOO_LARGE,
      429: LIMITED,
      503: UNAVAILABLE,
    },
  }),
  dialect(AUTHENTICATE_SCHEMA, {
    id: 'authenticate',
    label: 'dialect.authenticate',
    note: 'dialect.authenticateNote',
    path: '/api/auth/v1/authenticate',
    formats: ['json'],
    fields: {
      clientId: { from: 'clientId', description: 'fieldDoc.clientId' },
      clientSecret: { from: 'clientSecret', description: 'fieldDoc.clientSecret' },
    },
    tokenField: 'accessToken',
    codes: { 200: OK, 400: VALIDATION, 401: BAD_CLIENT, 403: FORBIDDEN, 413: TOO_LARGE, 503: UNAVAILABLE },
  }),
  dialect(TOKEN_API_POST_SCHEMA, {
    id: 'token-api',
    label: 'dialect.tokenApi',
    note: 'dialect.tokenApiNote',
    path: '/Token',
    formats: ['form'],
    fields: {
      grant_type: { from: 'fixed', description: 'fieldDoc.grantPassword' },
      username: { from: 'username', description: 'fieldDoc.username' },
      password: { from: 'clientSecret', description: 'fieldDoc.password' },
    },
    tokenField: 'access_token',
    codes: { 200: OK, 400: BAD_PASSWORD, 401: BAD_PASSWORD, 413: TOO_LARGE, 429: LIMITED, 503: UNAVAILABLE },
  }),
];

export interface BuiltRequest {
  readonly url: string;
  readonly contentType: string;
  readonly body: string;
  readonly curl: string;
}

const SECRET_PLACEHOLDER = '$CLIENT_SECRET';

/** The request a dialect expects, with the given values (the secret as a shell variable in curl). */
export function buildRequest(dialect: Dialect, format: Format, origin: string, values: Readonly<Record<string, string>>): BuiltRequest {
  const present = dialect.fields.filter((f) => f.required || (values[f.value] ?? '') !== '');
  const pairs = present.map((f) => [f.name, values[f.value] ?? f.value] as const);
  // curl never carries the secret itself: it reads it from the shell.
  const shown = present.map((f) => [f.name, f.value === 'clientSecret' ? SECRET_PLACEHOLDER : (values[f.value] ?? f.value)] as const);
  const url = origin + dialect.path;
  const json = format === 'json';
  const contentType = json ? 'application/json' : 'application/x-www-form-urlencoded';
  const body = json ? JSON.stringify(Object.fromEntries(pairs), null, 2) : new URLSearchParams(pairs.map(([k, v]) => [k, v])).toString();
  const data = json
    ? [`  --data '${JSON.stringify(Object.fromEntries(shown)).replace(/'/g, `'\\''`).replace(`"${SECRET_PLACEHOLDER}"`, `"'"${SECRET_PLACEHOLDER}"'"`)}'`]
    : shown.map(([k, v]) => `  --data-urlencode ${v === SECRET_PLACEHOLDER ? `"${k}=${v}"` : `'${k}=${v.replace(/'/g, `'\\''`)}'`}`);
  const curl = [`curl -X POST '${url}'`, `  -H 'Content-Type: ${contentType}'`, ...data].join(' \\\n');
  return { url, contentType, body, curl };
}

/** The claims of a JWT (not verified: the page only shows what the token says). */
export function decodeJwt(token: string): { header: unknown; claims: unknown } | null {
  const [header, payload] = token.split('.');
  if (!header || !payload) return null;
  try {
    const decode = (part: string): unknown => JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(part.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))));
    return { header: decode(header), claims: decode(payload) };
  } catch {
    return null;
  }
}
