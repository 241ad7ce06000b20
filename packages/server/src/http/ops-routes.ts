import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from './deps.js';

/** Where `/metrics` gets its text (this process's metrics, or the whole cluster's). */
export interface MetricsEndpoint {
  scrape(): Promise<string>;
  readonly contentType: string;
}

const READY_TIMEOUT_MS = 2_000;

/** Liveness, readiness (the database answers) and Prometheus metrics (unless they have a port of their own: null). */
export function registerOpsRoutes(app: FastifyInstance, deps: HttpDeps, metrics: MetricsEndpoint | null): void {
  app.get('/healthz', () => ({ status: 'ok' }));

  app.get('/readyz', async (request, reply) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        deps.storage.ping(),
        new Promise((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
        }),
      ]);
      return { status: 'ready' };
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed: database unreachable');
      return reply.code(503).send({ status: 'unavailable', detail: 'the database does not answer' });
    } finally {
      clearTimeout(timer);
    }
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
