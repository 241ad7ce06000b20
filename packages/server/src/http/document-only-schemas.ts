import type { FastifyInstance } from 'fastify';

/**
 * In a scope that calls this, route schemas document the endpoints (OpenAPI, /api/openapi.json) and do
 * nothing at run time: the OAuth endpoints parse their form bodies themselves (a compiled validator and
 * serializer would cost more than the rest of a token request) and answer with RFC 6749 errors, and each
 * dialect validates its own input to answer with its own codes (a 412 here, a 400 naming the field there).
 * Replies are written exactly as the handler built them.
 */
export function schemasDocumentOnly(scope: FastifyInstance): void {
  scope.setValidatorCompiler(() => () => true);
  scope.setSerializerCompiler(() => (data) => JSON.stringify(data));
}
