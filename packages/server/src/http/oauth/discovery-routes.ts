import type { FastifyInstance } from 'fastify';
import { serverMetadata } from '../../domain/oauth/server-metadata.js';
import type { HttpDeps } from '../deps.js';
import { schemasDocumentOnly } from '../document-only-schemas.js';
import { JWKS_SCHEMA, METADATA_SCHEMA } from './oauth-schemas.js';

/**
 * GET /.well-known/oauth-authorization-server (RFC 8414) and GET /oauth/jwks (RFC 7517), in a scope of
 * their own: their schemas document the answers, which are sent as built (a JWK's members vary by key type).
 */
export function registerDiscoveryRoutes(app: FastifyInstance, deps: HttpDeps, grantTypes: readonly string[]): void {
  schemasDocumentOnly(app);
  app.get('/.well-known/oauth-authorization-server', { schema: METADATA_SCHEMA }, async (_request, reply) => {
    const services = await deps.storage.services.list();
    const scopes = [...new Set(services.filter((s) => s.retiredAt === null).flatMap((s) => s.scopes.map((x) => x.name)))].sort();
    return reply.header('cache-control', 'public, max-age=300').send(serverMetadata({ issuer: deps.issuer, grantTypes, scopes }));
  });

  app.get('/oauth/jwks', { schema: JWKS_SCHEMA }, (_request, reply) => {
    // Verifiers may cache this for max-age: a new key is published at least that long before it signs.
    return reply.header('cache-control', `public, max-age=${deps.jwksMaxAgeSeconds}`).send(deps.keys.jwks());
  });
}
