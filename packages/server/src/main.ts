import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { buildApp } from './http/app.js';
import type { HttpDeps } from './http/deps.js';
import type { PortalSettings } from './http/web-routes.js';
import { joinWorkerSyncs } from './cluster-sync.js';
import { createMetrics, type Metrics } from './metrics/metrics.js';
import { registerDatabaseMetrics } from './metrics/database-metrics.js';
import type { WorkerMetrics } from './metrics/cluster-metrics.js';
import type { ReadinessReport } from './readiness.js';
import { longestTokenLifetimeMs, openRuntime, type Runtime } from './runtime.js';
import { bindUseCases, type UseCaseDeps } from './use-cases.js';

/**
 * The composition root of a serving process: config → runtime (storage, caches, keys, background loops)
 * → the use cases, bound once → HttpDeps → the app. The HTTP layer receives the bound use cases, never
 * storage; the CLI (cli/), the other driver, calls use cases with the runtime's deps itself. serve.ts
 * owns the process's lifecycle around this.
 */

/** What every use case may need, out of the runtime: storage, caches and the settings they read. */
function useCaseDepsOf(runtime: Runtime): UseCaseDeps {
  const { config } = runtime;
  return {
    storage: runtime.storage,
    clock: runtime.clock,
    random: runtime.random,
    issuer: config.issuer,
    serverKeys: runtime.serverKeys,
    directory: runtime.directory,
    usage: runtime.usage,
    keys: runtime.keys,
    denylist: runtime.denylist,
    watermarks: runtime.watermarks,
    login: runtime.login,
    clientThrottle: runtime.clientThrottle,
    signUps: runtime.signUps,
    personalTokenUsage: runtime.personalTokenUsage,
    environments: config.environments,
    approvalEnvironments: config.approvalEnvironments,
    maxSecretGraceSeconds: config.maxSecretGraceSeconds,
    invitationTtlSeconds: config.invitationTtlSeconds,
    patMaxDays: config.patMaxDays,
    changeWaits: runtime.changeWaits,
    maxTokenLifetimeSeconds: Math.ceil(longestTokenLifetimeMs(config) / 1000),
  };
}

export interface ServingHooks {
  /** What a request that changed state awaits before it is answered (default: this process catches up). */
  readonly settleWrites?: () => Promise<void>;
  /** What /readyz answers (default: the runtime's checks). */
  readonly readiness?: HttpDeps['readiness'];
  /** Whether the process is leaving (serve.ts decides; default: never). */
  readonly leaving?: () => boolean;
}

/** The HTTP layer's deps: the use cases bound to the runtime, and the settings and caches routes read. */
export function httpDepsOf(runtime: Runtime, hooks: ServingHooks = {}): HttpDeps {
  const useCases = bindUseCases(useCaseDepsOf(runtime));
  return {
    useCases,
    settleWrites: hooks.settleWrites ?? (() => runtime.syncChanges()),
    readiness: hooks.readiness ?? (() => runtime.readiness()),
    ...(hooks.leaving ? { leaving: hooks.leaving } : {}),
    clock: runtime.clock,
    issuer: runtime.config.issuer,
    keys: runtime.keys,
    jwksMaxAgeSeconds: runtime.config.jwksMaxAgeSeconds,
    tokenApiTtlSeconds: runtime.config.tokenApiTtlSeconds,
    approvalEnvironments: runtime.config.approvalEnvironments,
    // Personal access tokens are the portal API's bearer credentials.
    authenticateBearer: (token, address) => useCases.authenticatePersonalToken({ token, address }),
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

export interface ServingProcess {
  readonly runtime: Runtime;
  /** Built, not listening yet. */
  readonly app: FastifyInstance;
  /** This process's own metrics (what a metrics port of its own serves). */
  readonly metrics: Metrics;
}

export interface ServingOptions {
  /** A cluster worker: its metrics are combined with its siblings' and served by the primary (cluster-metrics.ts). */
  readonly workerMetrics: WorkerMetrics | null;
  /** Whether the process is leaving (serve.ts decides): /readyz then answers `draining`. */
  readonly draining: () => boolean;
}

const DRAINING: ReadinessReport = { status: 'draining', checks: {}, failures: {} };

/** Opens the runtime and builds the app on it; on failure, closes what it opened. */
export async function composeServingProcess(config: Config, log: Logger, options: ServingOptions): Promise<ServingProcess> {
  const { workerMetrics } = options;
  const metrics = createMetrics();
  workerMetrics?.share(metrics.registry);
  const runtime = await openRuntime(config, log, { background: true, metrics });
  registerDatabaseMetrics(metrics.registry, { usage: () => runtime.database.usage(), outbox: runtime.storage.outbox });
  const syncSiblings = joinWorkerSyncs(() => runtime.syncChanges());
  const settleWrites = async (): Promise<void> => {
    await runtime.syncChanges();
    await syncSiblings();
  };
  const readiness: HttpDeps['readiness'] = () => (options.draining() ? Promise.resolve(DRAINING) : runtime.readiness());
  // With a metrics port, /metrics leaves the main port; in a cluster the primary listens on it for everyone.
  const scrape = config.metricsListen !== null ? null : workerMetrics !== null ? () => workerMetrics.scrape() : () => metrics.render();
  try {
    const app = await buildApp(httpDepsOf(runtime, { settleWrites, readiness, leaving: options.draining }), {
      logger: log,
      dialects: config.dialects,
      portal: portalSettingsOf(config),
      metrics,
      scrape,
      accessLog: { mode: config.accessLog, sample: config.accessLogSample },
      trustedProxies: config.trustedProxies,
    });
    return { runtime, app, metrics };
  } catch (error) {
    await runtime.close();
    throw error;
  }
}
