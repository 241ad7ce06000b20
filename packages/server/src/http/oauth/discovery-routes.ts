import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { JWKS_SCHEMA, METADATA_SCHEMA } from '@latchkey/contract';
import type { HttpDeps } from '../deps.js';
import { schemasDocumentOnly } from '../document-only-schemas.js';

/**
 * GET /.well-known/oauth-authorization-server (RFC 8414), the same document at
 * /.well-known/openid-configuration, and GET /oauth/jwks (RFC 7517), in a scope of their own: their
 * schemas document the answers, which are sent as built (a JWK's members vary by key type).
 */
export function registerDiscoveryRoutes(app: FastifyInstance, deps: HttpDeps, grantTypes: readonly string[]): void {
  schemasDocumentOnly(app);
  const metadata = async (_request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> =>
    reply.header('cache-control', 'public, max-age=300').send(await deps.useCases.describeAuthorizationServer(grantTypes));
  app.get('/.well-known/oauth-authorization-server', { schema: METADATA_SCHEMA }, metadata);
  // OpenID Connect Discovery 1.0 §4's path, which openid-client and many libraries ask first (RFC 8414 §5
  // expects both to be served). The same document: nothing OpenID-specific (ID tokens, userinfo, the
  // authorization endpoint) is claimed, because none of it is implemented.
  app.get(
    '/.well-known/openid-configuration',
    { schema: { ...METADATA_SCHEMA, operationId: 'getOpenIdConfiguration', summary: 'The same metadata at the OpenID Connect Discovery path' } },
    metadata,
  );

  app.get('/oauth/jwks', { schema: JWKS_SCHEMA }, (_request, reply) => {
    // Verifiers may cache this for max-age: a new key is published at least that long before it signs.
    return reply.header('cache-control', `public, max-age=${deps.jwksMaxAgeSeconds}`).send(deps.keys.jwks());
  });
}
