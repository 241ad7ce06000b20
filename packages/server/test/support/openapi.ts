/** A body schema of the OpenAPI document with its `$ref` into components.schemas followed (bodies are named there). */
export function resolveRef<T>(doc: object, schema: T | { $ref: string } | undefined): T | undefined {
  if (schema === undefined || schema === null || typeof schema !== 'object' || !('$ref' in schema)) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  return (doc as { components?: { schemas?: Record<string, T> } }).components?.schemas?.[name];
}
