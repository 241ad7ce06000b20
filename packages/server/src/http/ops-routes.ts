import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from './deps.js';
import type { Metrics } from './metrics.js';

/** Liveness, readiness (the database, Redis when configured, not draining) and Prometheus metrics. */
export function registerOpsRoutes(app: FastifyInstance, deps: HttpDeps, metrics: Metrics): void {
  app.get('/healthz', () => ({ status: 'ok' }));

  app.get('/readyz', async (request, reply) => {
    const { failures, ...readiness } = await deps.readiness();
    for (const [check, error] of Object.entries(failures)) {
      request.log.warn({ reqId: request.id, err: error, check }, `readiness check failed: ${check} unreachable`);
    }
    return reply.code(readiness.status === 'ready' ? 200 : 503).send(readiness);
  });

  app.get('/metrics', async (_request, reply) => {
    return reply.header('content-type', metrics.contentType).send(await metrics.render());
  });
}
