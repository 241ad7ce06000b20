import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../../metrics/metrics.js';
import type { HttpDeps } from '../deps.js';
import { schemasDocumentOnly } from '../document-only-schemas.js';
import { acceptFormBodies } from './form-body.js';
import { registerIntrospectRoute } from './introspect-route.js';
import { sendOAuthError } from './oauth-error.js';
import { registerRevokeRoute } from './revoke-route.js';
import { registerRevocationsRoute } from './revocations-route.js';
import { registerTokenRoute } from './token-route.js';

/**
 * POST /oauth/token, /oauth/introspect, /oauth/revoke (and GET /oauth/revocations, the revocation feed) in one scope: form bodies in (parsed strictly, any
 * other content type refused), RFC 6749 JSON out, errors included. Without `tokenEndpoint` (the oauth2
 * dialect is off) only introspection and revocation are served, for the tokens the dialects issue.
 */
export function registerOAuthRoutes(app: FastifyInstance, deps: HttpDeps, metrics: Metrics, options: { tokenEndpoint: boolean }): void {
  acceptFormBodies(app);
  app.setErrorHandler((error, request, reply) => sendOAuthError(error, request, reply));
  schemasDocumentOnly(app);
  if (options.tokenEndpoint) registerTokenRoute(app, deps.useCases, metrics);
  registerIntrospectRoute(app, deps.useCases, metrics);
  registerRevokeRoute(app, deps, metrics);
  registerRevocationsRoute(app, deps);
}
