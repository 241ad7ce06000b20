import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { HttpDeps } from './deps.js';
import { createMetrics, type Metrics } from '../metrics/metrics.js';
import { createAccessLog, markTokenPath, type AccessLogMode } from './access-log.js';
import { RequestObserver } from './request-observer.js';
import { createRequestIdSource } from './request-id.js';
import { requestLogger } from './request-logger.js';
import { registerOAuthRoutes } from './oauth/oauth-routes.js';
import { registerDiscoveryRoutes } from './oauth/discovery-routes.js';
import { TOKEN_GRANTS } from '../domain/oauth/grants/token-grants.js';
import { registerOpsRoutes } from './ops-routes.js';
import { registerDialects } from './dialects/register-dialects.js';
import { registerWebRoutes, type PortalSettings } from './web-routes.js';
import { collectOpenApi, serveOpenApi } from './portal/openapi.js';
import { registerPortalRoutes } from './portal/portal-routes.js';
import { sendOAuthError } from './oauth/oauth-error.js';
import { sendProblem } from './portal/problem.js';

export interface AppOptions {
  readonly logger: FastifyBaseLogger;
  readonly metrics?: Metrics;
  /**
   * What `GET /metrics` answers: this process's metrics by default; in a cluster worker, every worker's
   * (from the primary); null: not served here (LATCHKEY_METRICS_PORT has its own listener).
   */
  readonly scrape?: (() => Promise<string>) | null;
  /** LATCHKEY_ACCESS_LOG and LATCHKEY_ACCESS_LOG_SAMPLE; off by default. */
  readonly accessLog?: { readonly mode: AccessLogMode; readonly sample: number };
  /** LATCHKEY_DIALECTS: `oauth2` mounts POST /oauth/token; introspection, revocation and JWKS serve every dialect. */
  readonly dialects: readonly string[];
  /** Where the built web portal is (default: packages/web/dist). */
  readonly webRoot?: string;
  /** Server settings the web portal shows (environments, dialects, limits). */
  readonly portal?: PortalSettings;
  /** Proxies (addresses, CIDRs) whose X-Forwarded-For names the client (LATCHKEY_TRUSTED_PROXIES); none by default. */
  readonly trustedProxies?: readonly string[];
}

/**
 * An unknown route, in the wire format of the prefix it falls under and through that format's mapper, so
 * a client never has to parse a format it does not speak: RFC 6749 errors under /oauth/, problem+json
 * everywhere else (the portal API's own scope answers for /api/v1/ in the same format). The dialects add
 * no prefix of their own: each answers at one exact path (docs/dialects/).
 */
function sendNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const path = request.url.split('?')[0] ?? '';
  const detail = `no route ${request.method} ${path}`;
  if (path.startsWith('/oauth/')) return sendOAuthError(Object.assign(new Error(detail), { statusCode: 404 }), request, reply);
  return sendProblem(reply, 404, 'not_found', detail);
}

/** Builds the HTTP application without listening (tests and the server both use it). */
export async function buildApp(deps: HttpDeps, options: AppOptions): Promise<FastifyInstance> {
  const metrics = options.metrics ?? createMetrics();
  const accessLog = createAccessLog({ mode: options.accessLog?.mode ?? 'off', sample: options.accessLog?.sample ?? 1, logger: options.logger });
  const app = Fastify({
    loggerInstance: options.logger,
    // Counts and times every request, sets X-Request-Id and writes the optional access log; no other
    // per-request log lines (they would cost more than issuing a token): failures and security events are logged.
    logController: new RequestObserver(metrics, accessLog),
    genReqId: createRequestIdSource(),
    // Binds the request id to every line of `request.log`, building pino's child logger only when used.
    childLoggerFactory: requestLogger,
    bodyLimit: 1024 * 1024,
    // request.ip is the address every limit, lock-out, audit entry and usage record uses. Behind a trusted
    // proxy it is the nearest address in X-Forwarded-For that is not itself a trusted proxy; from anyone
    // else the header is ignored, so a client cannot choose the address it is counted under.
    trustProxy: options.trustedProxies !== undefined && options.trustedProxies.length > 0 ? [...options.trustedProxies] : false,
    // A shutdown drains first (serve.ts): by the time the server closes, proxies have been told to go
    // elsewhere, and a request that still arrives on an open connection is served, not refused with a 503.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    // Report every invalid field of a request at once (portal problem documents list them all).
    ajv: { customOptions: { allErrors: true } },
  });

  app.setNotFoundHandler(sendNotFound);
  app.setErrorHandler((error, request, reply) => {
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return sendProblem(reply, status, 'bad_request', (error as Error).message);
    }
    request.log.error({ err: error }, 'unexpected error');
    return sendProblem(reply, 500, 'internal', `an unexpected error occurred; quote request id ${request.id}`);
  });

  await collectOpenApi(app, deps.issuer);
  const scrape = options.scrape === undefined ? () => metrics.render() : options.scrape;
  await app.register(async (scope) => registerOpsRoutes(scope, deps, scrape === null ? null : { scrape, contentType: metrics.contentType }));
  const tokenEndpoint = options.dialects.includes('oauth2');
  await app.register(async (scope) => registerDiscoveryRoutes(scope, deps, tokenEndpoint ? [...TOKEN_GRANTS.keys()] : []));
  await app.register(async (scope) => {
    markTokenPath(scope);
    registerOAuthRoutes(scope, deps, metrics, { tokenEndpoint });
  });
  await registerDialects(app, deps, options.dialects);
  await app.register(async (scope) => registerWebRoutes(scope, { root: options.webRoot, settings: options.portal }));
  await registerPortalRoutes(app, deps);
  await serveOpenApi(app);
  return app;
}
