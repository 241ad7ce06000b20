import type { FastifyInstance } from 'fastify';

/**
 * In a dialect's scope, route schemas document the endpoint (OpenAPI, /api/openapi.json) and nothing
 * more: each dialect validates its own input to answer with its own codes (a 412 here, a 400 naming the
 * field there), and replies are written exactly as the handler built them.
 */
export function schemasDocumentOnly(scope: FastifyInstance): void {
  scope.setValidatorCompiler(() => () => true);
  scope.setSerializerCompiler(() => (data) => JSON.stringify(data));
}

export const DIALECT_TAG = 'token dialects';
