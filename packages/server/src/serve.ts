import cluster from 'node:cluster';
import { createServer, type AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { buildApp } from './http/app.js';
import type { HttpDeps } from './http/deps.js';
import type { PortalSettings } from './http/web-routes.js';
import { openRuntime, type Runtime } from './runtime.js';
import { installProcessHandlers } from './process-handlers.js';
import { joinWorkerSyncs, relayWorkerSyncs } from './cluster-sync.js';
import { listenFailure, startupStep } from './startup-error.js';
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
    signUps: runtime.signUps,
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
  /** Stops accepting, finishes requests in flight, writes pending usage, closes the database. */
  close(): Promise<void>;
}

/** One serving process: runtime, HTTP app, listening socket. */
export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  const runtime = await openRuntime(config, log, { background: true });
  const syncSiblings = joinWorkerSyncs(() => runtime.syncChanges());
  const settleWrites = async (): Promise<void> => {
    await runtime.syncChanges();
    await syncSiblings();
  };
  let app: FastifyInstance;
  try {
    app = await buildApp(httpDepsOf(runtime, settleWrites), { logger: log, dialects: config.dialects, portal: portalSettingsOf(config), trustedProxies: config.trustedProxies });
    await startupStep(listenFailure(config), () => app.listen({ port: config.port, host: config.host }));
  } catch (error) {
    await runtime.close();
    throw error;
  }
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | null = null;
  return {
    app,
    runtime,
    url: `http://${host}:${address.port}`,
    close() {
      closing ??= app.close().then(() => runtime.close());
      return closing;
    },
  };
}

/** Binds and releases LATCHKEY_HOST:LATCHKEY_PORT: whether workers will be able to listen there. */
function probeListen(config: Config): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(config.port, config.host, () => probe.close(() => resolve()));
  });
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
    // Fail here, once, with the reason, rather than in every worker.
    await startupStep(listenFailure(config), () => probeListen(config));
    let stopping = false;
    relayWorkerSyncs();
    const listening = new Set<number>();
    cluster.on('listening', (worker) => listening.add(worker.id));
    for (let i = 0; i < config.workers; i++) cluster.fork();
    const stop = (): void => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    };
    cluster.on('exit', (worker, code, signal) => {
      if (stopping) return;
      if (!listening.has(worker.id)) {
        // It failed before it served (and said why): another one would fail alike, over and over.
        log.error({ worker: worker.process.pid, code, signal }, 'a worker failed to start; stopping');
        process.exitCode = 1;
        stop();
        return;
      }
      log.error({ worker: worker.process.pid, code, signal }, 'worker exited; starting another');
      cluster.fork();
    });
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    log.info({ workers: config.workers }, `Latchkey primary started ${config.workers} workers on ${config.host}:${config.port}`);
    return;
  }
  const server = await startServer(config, log);
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
