import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from './deps.js';

/** Where `/metrics` gets its text (this process's metrics, or the whole cluster's). */
export interface MetricsEndpoint {
  scrape(): Promise<string>;
  readonly contentType: string;
}

/** Liveness, readiness (the database, Redis when configured, not draining) and Prometheus metrics (unless they have a port of their own: null). */
export function registerOpsRoutes(app: FastifyInstance, deps: HttpDeps, metrics: MetricsEndpoint | null): void {
  app.get('/healthz', () => ({ status: 'ok' }));

  app.get('/readyz', async (request, reply) => {
    const { failures, ...readiness } = await deps.readiness();
    for (const [check, error] of Object.entries(failures)) {
      request.log.warn({ err: error, check }, `readiness check failed: ${check} unreachable`);
    }
    return reply.code(readiness.status === 'ready' ? 200 : 503).send(readiness);
  });

  if (metrics === null) return;
  app.get('/metrics', async (request, reply) => {
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
