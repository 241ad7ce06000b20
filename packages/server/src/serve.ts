import cluster from 'node:cluster';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { buildApp } from './http/app.js';
import type { HttpDeps } from './http/deps.js';
import type { PortalSettings } from './http/web-routes.js';
import { openRuntime, type Runtime } from './runtime.js';
import { installProcessHandlers } from './process-handlers.js';
import { joinWorkerSyncs, relayWorkerSyncs } from './cluster-sync.js';
import { createAttemptWindow } from './domain/users/attempt-window.js';
import { createMetrics } from './metrics/metrics.js';
import { registerDatabaseMetrics } from './metrics/database-metrics.js';
import { listenForMetrics, type MetricsListener } from './metrics/metrics-listener.js';
import { aggregateWorkerMetrics, joinWorkerMetrics, type WorkerMetrics } from './metrics/cluster-metrics.js';
import { authenticatePersonalToken } from './domain/personal-tokens/authenticate-personal-token.js';

/**
 * `settleWrites`: what a request that changed state awaits before it is answered. By default this process
 * catches up with the change log; a cluster worker also has its siblings catch up (cluster-sync.ts).
 */
export function httpDepsOf(runtime: Runtime, settleWrites: () => Promise<void> = () => runtime.syncChanges()): HttpDeps {
  return {
    settleWrites,
    clock: runtime.clock,
    issuer: runtime.config.issuer,
    storage: runtime.storage,
    serverKeys: runtime.serverKeys,
    directory: runtime.directory,
    usage: runtime.usage,
    keys: runtime.keys,
    denylist: runtime.denylist,
    watermarks: runtime.watermarks,
    jwksMaxAgeSeconds: runtime.config.jwksMaxAgeSeconds,
    approvalEnvironments: runtime.config.approvalEnvironments,
    maxSecretGraceSeconds: runtime.config.maxSecretGraceSeconds,
    invitationTtlSeconds: runtime.config.invitationTtlSeconds,
    tokenApiTtlSeconds: runtime.config.tokenApiTtlSeconds,
    login: runtime.login,
    clientThrottle: runtime.clientThrottle,
    environments: runtime.config.environments,
    personalTokenUsage: runtime.personalTokenUsage,
    signUps: createAttemptWindow({ limit: runtime.config.signUpsPerHour, windowMs: 60 * 60_000, clock: runtime.clock }),
    patMaxDays: runtime.config.patMaxDays,
    // Personal access tokens are the portal API's bearer credentials (issue 5).
    authenticateBearer: (token, address) =>
      authenticatePersonalToken({ keys: runtime.keys, clock: runtime.clock, issuer: runtime.config.issuer, storage: runtime.storage, personalTokenUsage: runtime.personalTokenUsage }, token, address),
  };
}

/** What the web portal is told of the configuration (written into its page; nothing secret). */
export function portalSettingsOf(config: Config): PortalSettings {
  return {
    issuer: config.issuer,
    environments: config.environments,
    approvalEnvironments: config.approvalEnvironments,
    dialects: config.dialects,
    patMaxDays: config.patMaxDays,
    maxSecretGraceSeconds: config.maxSecretGraceSeconds,
  };
}

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly runtime: Runtime;
  readonly url: string;
  /** Where `/metrics` is served when LATCHKEY_METRICS_PORT gives it a port of its own (null: on `url`, or by the cluster primary). */
  readonly metricsUrl: string | null;
  /** Stops accepting, finishes requests in flight, writes pending usage, closes the database. */
  close(): Promise<void>;
}

/**
 * One serving process: runtime, HTTP app, listening socket(s). `workerMetrics`: this is a cluster worker,
 * whose metrics the primary combines with its siblings' and serves (cluster-metrics.ts).
 */
export async function startServer(config: Config, log: Logger, workerMetrics: WorkerMetrics | null = null): Promise<RunningServer> {
  const metrics = createMetrics();
  workerMetrics?.share(metrics.registry);
  const runtime = await openRuntime(config, log, { background: true, metrics });
  registerDatabaseMetrics(metrics.registry, { usage: () => runtime.database.usage(), outbox: runtime.storage.outbox });
  const syncSiblings = joinWorkerSyncs(() => runtime.syncChanges());
  const settleWrites = async (): Promise<void> => {
    await runtime.syncChanges();
    await syncSiblings();
  };
  // With a metrics port, /metrics leaves the main port; in a cluster the primary listens on it for everyone.
  const ownScrape = (): Promise<string> => metrics.render();
  const scrape = config.metricsListen !== null ? null : workerMetrics !== null ? () => workerMetrics.scrape() : ownScrape;
  let app: FastifyInstance | undefined;
  let metricsListener: MetricsListener | null = null;
  try {
    app = await buildApp(httpDepsOf(runtime, settleWrites), {
      logger: log,
      dialects: config.dialects,
      portal: portalSettingsOf(config),
      metrics,
      scrape,
      accessLog: { mode: config.accessLog, sample: config.accessLogSample },
    });
    await app.listen({ port: config.port, host: config.host });
    if (config.metricsListen !== null && workerMetrics === null) metricsListener = await listenForMetrics(config.metricsListen, ownScrape);
  } catch (error) {
    await app?.close();
    await runtime.close();
    throw error;
  }
  const listening = app;
  const address = listening.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | null = null;
  return {
    app: listening,
    runtime,
    url: `http://${host}:${address.port}`,
    metricsUrl: metricsListener?.url ?? null,
    close() {
      closing ??= Promise.all([listening.close(), metricsListener?.close()]).then(() => runtime.close());
      return closing;
    },
  };
}

/**
 * `latchkey serve`: with LATCHKEY_WORKERS > 1 the primary migrates and prepares keys once, then forks
 * workers sharing the port (node cluster); SIGTERM/SIGINT shut down gracefully.
 */
export async function serve(config: Config, log: Logger): Promise<void> {
  installProcessHandlers(log);
  if (config.workers > 1 && cluster.isPrimary) {
    const prepared = await openRuntime(config, log, { background: false });
    await prepared.close();
    let stopping = false;
    relayWorkerSyncs();
    const renderCluster = aggregateWorkerMetrics();
    const metricsListener = config.metricsListen === null ? null : await listenForMetrics(config.metricsListen, renderCluster);
    if (metricsListener !== null) log.info({ url: metricsListener.url }, `metrics of every worker on ${metricsListener.url}/metrics`);
    for (let i = 0; i < config.workers; i++) cluster.fork();
    cluster.on('exit', (worker, code, signal) => {
      if (stopping) return;
      log.error({ worker: worker.process.pid, code, signal }, 'worker exited; starting another');
      cluster.fork();
    });
    const stop = (): void => {
      stopping = true;
      void metricsListener?.close();
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    log.info({ workers: config.workers }, `Latchkey primary started ${config.workers} workers on ${config.host}:${config.port}`);
    return;
  }
  // In a worker: answer the primary's metrics requests from the start, before the runtime opens.
  const server = await startServer(config, log, cluster.isWorker ? joinWorkerMetrics() : null);
  if (server.metricsUrl !== null) log.info({ url: server.metricsUrl }, `metrics on ${server.metricsUrl}/metrics`);
  log.info({ url: server.url, issuer: config.issuer, database: config.databaseUrl.replace(/\/\/[^@/]*@/, '//***@') }, `Latchkey listening on ${server.url}`);
  const shutdown = (signal: string): void => {
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close().then(
      () => {
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
