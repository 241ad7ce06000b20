import cluster from 'node:cluster';
import { createServer } from 'node:net';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { openRuntime } from './runtime.js';
import { relayWorkerSyncs } from './cluster-sync.js';
import { listenForMetrics } from './metrics/metrics-listener.js';
import { aggregateWorkerMetrics } from './metrics/cluster-metrics.js';
import { listenFailure, startupStep } from './startup-error.js';

/** Binds and releases LATCHKEY_HOST:LATCHKEY_PORT: whether workers will be able to listen there. */
function probeListen(config: Config): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(config.port, config.host, () => probe.close(() => resolve()));
  });
}

/**
 * `latchkey serve` with LATCHKEY_WORKERS > 1: the primary migrates and prepares keys once, checks the port,
 * then forks workers that share it. It relays read-your-writes syncs between them, serves their combined
 * metrics on LATCHKEY_METRICS_PORT, replaces a worker that dies after it served, and stops everything
 * when one fails to start. A signal is passed on to every worker as it came: SIGTERM drains, SIGINT stops.
 */
export async function runClusterPrimary(config: Config, log: Logger): Promise<void> {
  const prepared = await openRuntime(config, log, { background: false });
  await prepared.close();
  // Fail here, once, with the reason, rather than in every worker.
  await startupStep(listenFailure(config), () => probeListen(config));
  let stopping = false;
  relayWorkerSyncs();
  // Always: without a metrics port, a worker asks the primary for the combined text of a scrape.
  const renderCluster = aggregateWorkerMetrics();
  const metricsListener = config.metricsListen === null ? null : await listenForMetrics(config.metricsListen, renderCluster);
  if (metricsListener !== null) log.info({ url: metricsListener.url }, `metrics of every worker on ${metricsListener.url}/metrics`);
  const listening = new Set<number>();
  cluster.on('listening', (worker) => listening.add(worker.id));
  for (let i = 0; i < config.workers; i++) cluster.fork();
  const stop = (signal: NodeJS.Signals): void => {
    stopping = true;
    void metricsListener?.close();
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    if (!listening.has(worker.id)) {
      // It failed before it served (and said why): another one would fail alike, over and over.
      log.error({ worker: worker.process.pid, code, signal }, 'a worker failed to start; stopping');
      process.exitCode = 1;
      stop('SIGTERM');
      return;
    }
    log.error({ worker: worker.process.pid, code, signal }, 'worker exited; starting another');
    cluster.fork();
  });
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  log.info({ workers: config.workers }, `Latchkey primary started ${config.workers} workers on ${config.host}:${config.port}`);
}
