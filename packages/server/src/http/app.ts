import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { HttpDeps } from './deps.js';
import { createMetrics, type Metrics } from './metrics.js';
import { registerOAuthRoutes } from './oauth/oauth-routes.js';
import { registerDiscoveryRoutes } from './oauth/discovery-routes.js';
import { registerOpsRoutes } from './ops-routes.js';
import { registerDialects } from './dialects/register-dialects.js';
import { registerWebRoutes, type PortalSettings } from './web-routes.js';
import { collectOpenApi, serveOpenApi } from './portal/openapi.js';
import { registerPortalRoutes } from './portal/portal-routes.js';

export interface AppOptions {
  readonly logger: FastifyBaseLogger;
  readonly metrics?: Metrics;
  /** LATCHKEY_DIALECTS: `oauth2` mounts POST /oauth/token; introspection, revocation and JWKS serve every dialect. */
  readonly dialects: readonly string[];
  /** Where the built web portal is (default: packages/web/dist). */
  readonly webRoot?: string;
  /** Server settings the web portal shows (environments, dialects, limits). */
  readonly portal?: PortalSettings;
}

/** Builds the HTTP application without listening (tests and the server both use it). */
export async function buildApp(deps: HttpDeps, options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger,
    // Per-request logs would cost more than issuing a token; failures and security events are logged.
    logController: new LogController({ disableRequestLogging: true }),
    // No child logger per request: building one costs more than the rest of a token request's logging.
    // The few lines a request writes carry its id explicitly.
    childLoggerFactory: (logger) => logger,
    bodyLimit: 1024 * 1024,
    // A shutdown drains first (serve.ts): by the time the server closes, proxies have been told to go
    // elsewhere, and a request that still arrives on an open connection is served, not refused with a 503.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    // Report every invalid field of a request at once (portal problem documents list them all).
    ajv: { customOptions: { allErrors: true } },
  });
  const metrics = options.metrics ?? createMetrics();

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` }),
  );
  app.setErrorHandler((error, request, reply) => {
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return reply.code(status).send({ error: 'bad_request', message: (error as Error).message });
    }
    request.log.error({ reqId: request.id, err: error }, 'unexpected error');
    return reply.code(500).send({ error: 'internal', message: `an unexpected error occurred; quote request id ${request.id}` });
  });

  await collectOpenApi(app, deps.issuer);
  await app.register(async (scope) => registerOpsRoutes(scope, deps, metrics));
  const tokenEndpoint = options.dialects.includes('oauth2');
  await app.register(async (scope) => registerDiscoveryRoutes(scope, deps, tokenEndpoint ? ['client_credentials', 'password'] : []));
  await app.register(async (scope) => registerOAuthRoutes(scope, deps, metrics, { tokenEndpoint }));
  await registerDialects(app, deps, options.dialects);
  await app.register(async (scope) => registerWebRoutes(scope, { root: options.webRoot, settings: options.portal }));
  await registerPortalRoutes(app, deps);
  await serveOpenApi(app);
  return app;
}
