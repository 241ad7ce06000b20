import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { HttpDeps } from './deps.js';
import { schemasDocumentOnly } from './document-only-schemas.js';

/** Where `/metrics` gets its text (this process's metrics, or the whole cluster's). */
export interface MetricsEndpoint {
  scrape(): Promise<string>;
  readonly contentType: string;
}

const tags = ['operations'];

const Liveness = Type.Object({ status: Type.Literal('ok') }, { title: 'Liveness' });

const Readiness = Type.Object(
  {
    status: Type.Union([Type.Literal('ready'), Type.Literal('unavailable'), Type.Literal('draining')]),
    checks: Type.Record(Type.String(), Type.String(), { description: 'one state per dependency, e.g. {"database": "ok", "redis": "unreachable", "change_feed": "listening"}, and client_cache: warming while the client cache fills at start-up, then warm (on_demand when it is not filled); client_cache never makes the process unready' }),
  },
  { title: 'Readiness' },
);

const READINESS_SCHEMA = {
  operationId: 'checkReadiness',
  tags,
  summary: 'Readiness: 200 when the database (and Redis, when configured) answer and the process is not draining',
  security: [],
  response: { 200: Readiness, 503: Readiness },
};

const METRICS_SCHEMA = {
  operationId: 'getMetrics',
  tags,
  summary: 'Prometheus metrics (text exposition format)',
  security: [],
  produces: ['text/plain'],
  response: {
    200: Type.String({ title: 'PrometheusMetrics' }),
    // In a cluster: the primary, or a worker it asked, did not answer in time.
    503: Type.Object({ status: Type.Literal('unavailable'), detail: Type.String() }, { title: 'MetricsUnavailable' }),
  },
};

/**
 * Liveness, readiness (the database, Redis when configured, not draining) and Prometheus metrics (unless
 * they have a port of their own: null), in a scope of their own: the schemas document the probes, the
 * answers go out as built.
 */
export function registerOpsRoutes(app: FastifyInstance, deps: HttpDeps, metrics: MetricsEndpoint | null): void {
  schemasDocumentOnly(app);
  app.get('/healthz', { schema: { operationId: 'checkLiveness', tags, summary: 'Liveness: the process answers', security: [], response: { 200: Liveness } } }, () => ({ status: 'ok' }));

  app.get('/readyz', { schema: READINESS_SCHEMA }, async (request, reply) => {
    const { failures, ...readiness } = await deps.readiness();
    for (const [check, error] of Object.entries(failures)) {
      request.log.warn({ err: error, check }, `readiness check failed: ${check} unreachable`);
    }
    return reply.code(readiness.status === 'ready' ? 200 : 503).send(readiness);
  });

  if (metrics === null) return;
  app.get('/metrics', { schema: METRICS_SCHEMA }, async (request, reply) => {
    let text: string;
    try {
      text = await metrics.scrape();
    } catch (error) {
      // In a cluster: the primary, or a worker it asked, did not answer.
      request.log.warn({ err: error }, 'metrics unavailable');
      return reply.code(503).send({ status: 'unavailable', detail: 'metrics could not be collected; try again' });
    }
    return reply.header('content-type', metrics.contentType).header('cache-control', 'no-store').send(text);
  });
}
