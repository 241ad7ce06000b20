import cluster from 'node:cluster';
import type { IncomingMessage, ServerResponse } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Runtime } from './runtime.js';
import { composeServingProcess } from './main.js';
import { installProcessHandlers } from './process-handlers.js';
import { listenForMetrics, type MetricsListener } from './metrics/metrics-listener.js';
import { joinWorkerMetrics, type WorkerMetrics } from './metrics/cluster-metrics.js';
import { listenFailure, startupStep } from './startup-error.js';
import { runClusterPrimary } from './cluster-primary.js';

// After the drain, how long requests in flight may take before the process exits anyway.
const FORCED_EXIT_MS = 10_000;
// After the listening socket closes, how long connections it accepted just before get to send their request.
const SETTLE_MS = 250;
// After the drain's grace, how long requests still in flight may take before their connections are cut.
const LINGER_MS = 5_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly runtime: Runtime;
  readonly url: string;
  /** Where `/metrics` is served when LATCHKEY_METRICS_PORT gives it a port of its own (null: on `url`, or by the cluster primary). */
  readonly metricsUrl: string | null;
  /** Stops accepting, finishes requests in flight, writes pending usage, closes the database. */
  close(): Promise<void>;
  /**
   * Leaves the load balancer's rotation without failing a request: /readyz answers 503 at once, every
   * response from then on carries `Connection: close` (so keep-alive clients and proxies reconnect,
   * elsewhere once they see /readyz), requests are served as usual for `graceMs`, then it closes.
   */
  drain(graceMs: number): Promise<void>;
}

/**
 * One serving process: runtime, HTTP app (both from main.ts), listening socket(s). `workerMetrics`: this
 * is a cluster worker, whose metrics the primary combines with its siblings' and serves (cluster-metrics.ts).
 */
export async function startServer(config: Config, log: Logger, workerMetrics: WorkerMetrics | null = null): Promise<RunningServer> {
  let draining = false;
  const { runtime, app, metrics } = await composeServingProcess(config, log, { workerMetrics, draining: () => draining });
  let metricsListener: MetricsListener | null = null;
  try {
    await startupStep(listenFailure(config), () => app.listen({ port: config.port, host: config.host }));
    if (config.metricsListen !== null && workerMetrics === null) metricsListener = await listenForMetrics(config.metricsListen, () => metrics.render());
  } catch (error) {
    await app.close();
    await runtime.close();
    throw error;
  }
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  // From here on /readyz answers 503 and every response carries `Connection: close`: keep-alive clients
  // and proxies reconnect, to another instance once they have seen /readyz. The listener is added only
  // now, before Fastify's own: until then requests pay nothing for it.
  const leave = (): void => {
    if (draining) return;
    draining = true;
    // Held long-polls (the revocation feed) are answered now, so their readers reconnect elsewhere.
    runtime.changeWaits.release();
    app.server.prependListener('request', (_request: IncomingMessage, response: ServerResponse) => response.setHeader('connection', 'close'));
  };
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    leave();
    closing ??= Promise.all([app.close(), metricsListener?.close()]).then(() => runtime.close());
    return closing;
  };
  return {
    app,
    runtime,
    url: `http://${host}:${address.port}`,
    metricsUrl: metricsListener?.url ?? null,
    close,
    async drain(graceMs) {
      leave();
      await sleep(graceMs);
      // Stop accepting, but not through http.Server#close yet: that also resets every connection Node sees
      // as idle, including one just accepted whose request it has not read yet, which a proxy reports as a
      // failed request (nginx: 502). Read and answer those first; each closes after its response.
      const ended = new Promise<void>((resolve) => net.Server.prototype.close.call(app.server, () => resolve()));
      await sleep(SETTLE_MS);
      app.server.closeIdleConnections();
      // A connection that never completes its request (a client gone quiet mid-headers, a slow-loris)
      // would hold the process until its header timeout, and the forced exit would skip writing usage:
      // past LINGER_MS, whatever is left is cut.
      const lingering = new Promise<void>((resolve) => setTimeout(resolve, LINGER_MS).unref());
      await Promise.race([ended, lingering]);
      app.server.closeAllConnections();
      await close();
    },
  };
}

/**
 * `latchkey serve`: one serving process, or with LATCHKEY_WORKERS > 1 the cluster primary
 * (cluster-primary.ts) that forks them. SIGTERM drains, then stops; SIGINT stops at once.
 */
export async function serve(config: Config, log: Logger): Promise<void> {
  installProcessHandlers(log);
  if (config.workers > 1 && cluster.isPrimary) return runClusterPrimary(config, log);
  // In a worker: answer the primary's metrics requests from the start, before the runtime opens.
  const server = await startServer(config, log, cluster.isWorker ? joinWorkerMetrics() : null);
  if (server.metricsUrl !== null) log.info({ url: server.metricsUrl }, `metrics on ${server.metricsUrl}/metrics`);
  log.info({ url: server.url, issuer: config.issuer, database: config.databaseUrl.replace(/\/\/[^@/]*@/, '//***@') }, `Latchkey listening on ${server.url}`);
  let stopping = false;
  const shutdown = (signal: string): void => {
    // Once: a worker under a terminal gets Ctrl-C's SIGINT and the primary's forwarded one.
    if (stopping) return;
    stopping = true;
    // SIGTERM comes from a supervisor (systemd, Kubernetes, docker stop): drain first. SIGINT is a person
    // at a terminal pressing Ctrl-C: stop now.
    const graceMs = signal === 'SIGTERM' ? config.drainSeconds * 1000 : 0;
    log.info({ signal, drain_seconds: graceMs / 1000 }, graceMs > 0 ? 'draining: /readyz answers 503, then shutting down' : 'shutting down');
    const force = setTimeout(() => process.exit(1), graceMs + FORCED_EXIT_MS);
    force.unref();
    server.drain(graceMs).then(
      () => {
        log.info('stopped');
        log.flush();
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
