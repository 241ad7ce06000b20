import type { Logger } from 'pino';
import type { Config } from './config.js';
import { systemClock, type Clock } from './domain/clock.js';
import { systemRandom, type Random } from './domain/random.js';
import type { Storage } from './domain/storage.js';
import type { ServerKeyring } from './domain/secrets/server-key.js';
import { createClientDirectory, type ClientDirectory } from './domain/clients/client-directory.js';
import { createClientUsage, type ClientUsage } from './domain/clients/client-usage.js';
import { CLIENT_TOKEN_TTL } from './domain/clients/client.js';
import { createKeyManager, type KeyManager } from './domain/keys/key-manager.js';
import { ensureSigningKeys, type SigningKeyDeps } from './domain/keys/rotate-signing-key.js';
import type { KeyPolicy } from './domain/keys/signing-key.js';
import { createDenylist, type Denylist } from './domain/tokens/denylist.js';
import { createWatermarkCache, type WatermarkCache } from './domain/tokens/watermark-cache.js';
import { PASSWORD_TOKEN_TTL } from './domain/oauth/issue-user-token.js';
import { createChangeFollower } from './domain/changes/change-feed.js';
import { createChangeWaits, type ChangeWaits } from './domain/changes/change-waits.js';
import { createCacheRefresh } from './cache-refresh.js';
import { warmClientCache, type ClientCacheState } from './client-cache-warming.js';
import { checkReadiness, type ReadinessCheck, type ReadinessReport } from './readiness.js';
import { ensureAdmin } from './domain/users/create-admin.js';
import { SESSION_IDLE_MS } from './domain/sessions/session.js';
import { createPersonalTokenUsage, type PersonalTokenUsage } from './domain/personal-tokens/personal-token-usage.js';
import { sendExpiryNotices } from './domain/personal-tokens/send-expiry-notices.js';
import type { SqlDatabase } from './storage/database.js';
import { openConfiguredDatabase } from './database-startup.js';
import { adminFailure, dataDirFailure, serverKeyFailure, startupStep } from './startup-error.js';
import { createSqlStorage } from './storage/sql-storage.js';
import { loadServerKeyring } from './server-key-file.js';
import { createLoginDeps } from './login-deps.js';
import type { AuthenticateUserDeps } from './domain/users/authenticate-user.js';
import type { LoginThrottle } from './domain/users/login-throttle.js';
import type { AttemptWindow } from './domain/users/attempt-window.js';
import { createMailDelivery } from './mail/mail-delivery.js';
import type { DeliveryReport } from './domain/mail/deliver-mail.js';
import type { Metrics } from './metrics/metrics.js';

/** Everything a serving process holds: storage, caches and the signing keys, wired once. */
export interface Runtime {
  readonly config: Config;
  readonly log: Logger;
  readonly clock: Clock;
  /** Where ids and secrets come from (cryptographically strong outside tests). */
  readonly random: Random;
  readonly database: SqlDatabase;
  readonly storage: Storage;
  readonly serverKeys: ServerKeyring;
  readonly keyPolicy: KeyPolicy;
  readonly keys: KeyManager;
  readonly directory: ClientDirectory;
  readonly usage: ClientUsage;
  /** Last uses of personal access tokens, batched like client usage. */
  readonly personalTokenUsage: PersonalTokenUsage;
  readonly denylist: Denylist;
  /** Per-subject token generations (token-api's "a new token discards the old ones"). */
  readonly watermarks: WatermarkCache;
  readonly signingKeyDeps: SigningKeyDeps;
  /** User authentication with its login throttle (Redis-backed when LATCHKEY_REDIS_URL is set). */
  readonly login: AuthenticateUserDeps;
  /** Failed client authentications per client id and address (the access-token dialect reveals unknown ids). */
  readonly clientThrottle: LoginThrottle;
  /** Sign-ups per address, and notices to owners of taken addresses, shared by every process. */
  readonly signUps: AttemptWindow;
  /** Where long-polling readers (the revocation feed) wait for the change follower to move. */
  readonly changeWaits: ChangeWaits;
  /** Waits for bookkeeping deferred past a response (failed-login audit records). */
  settleDeferred(): Promise<void>;
  /** Reads the change log now (the background loop does it on its own). */
  syncChanges(): Promise<void>;
  /** Writes batched last-used times now. */
  flushUsage(): Promise<void>;
  /** Whether this process can serve: the database answers, Redis too when configured, how changes arrive. */
  readiness(): Promise<ReadinessReport>;
  /** Delivers due mail now (the background loop does it every LATCHKEY_MAIL_POLL_MS). */
  deliverMail(): Promise<DeliveryReport>;
  close(): Promise<void>;
}

// Clock skew between processes and verifiers that a key's publication and retirement allow for.
const SKEW_MS = 60_000;
// How often a process whose changes are pushed still reads the change log, in case a notification was lost.
const PUSHED_POLL_MS = 5_000;
// How long a readiness check may take before the dependency counts as unreachable.
const READY_TIMEOUT_MS = 2_000;
// Delivered and failed mail stays readable in the outbox this long.
const MAIL_RETENTION_MS = 30 * 86_400_000;

export function keyPolicyFor(config: Config): KeyPolicy {
  return {
    publishLeadMs: config.jwksMaxAgeSeconds * 1000 + Math.min(SKEW_MS, config.changePollMs * 4 + 1000),
    // A superseded key stays published until the longest-lived unrecorded token it can have signed has
    // expired; personal access tokens are recorded, and keep their key published for as long as they live
    // (keyStatuses), instead of every key for LATCHKEY_PAT_MAX_DAYS.
    retainMs: Math.max(CLIENT_TOKEN_TTL.max, PASSWORD_TOKEN_TTL, config.dialects.includes('token-api') ? config.tokenApiTtlSeconds : 0) * 1000 + SKEW_MS,
  };
}

/** The longest any token can live, personal access tokens included: how long a revocation is remembered. */
export function longestTokenLifetimeMs(config: Config): number {
  return Math.max(keyPolicyFor(config).retainMs, config.patMaxDays * 86_400_000 + SKEW_MS);
}

export interface RuntimeOptions {
  /** Serving processes follow the change log and flush usage in the background; one-shot CLI commands do not. */
  readonly background: boolean;
  readonly clock?: Clock;
  readonly random?: Random;
  /** Where the change feed and the mail loop report (a serving process's metrics). */
  readonly metrics?: Pick<Metrics, 'changeApplied' | 'changeFeedReset' | 'mailDelivered'>;
}

export async function openRuntime(config: Config, log: Logger, options: RuntimeOptions): Promise<Runtime> {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? systemRandom;
  const serverKeys = await startupStep(dataDirFailure(config), () => loadServerKeyring(config.secret, config.dataDir, (m) => log.warn(m)));
  const { database, applied } = await openConfiguredDatabase(config);
  const timers: NodeJS.Timeout[] = [];
  const closers: (() => Promise<void>)[] = [];
  try {
    if (applied.length > 0) log.info({ migrations: applied }, 'database migrated');
    const storage = createSqlStorage(database);
    // Read the log position before loading any state, so a change made meanwhile is replayed, not missed.
    const startSeq = await storage.changes.latest();
    const keyPolicy = keyPolicyFor(config);
    const signingKeyDeps: SigningKeyDeps = { storage, clock, serverKeys, policy: keyPolicy, alg: config.signingAlg };
    const keys = createKeyManager({ serverKeys, clock, policy: keyPolicy });
    await startupStep(serverKeyFailure(config), async () => keys.load(await ensureSigningKeys(signingKeyDeps), await storage.personalTokens.liveGenerations(clock.now())));
    const { admin } = config;
    if (admin && (await startupStep(adminFailure(), () => ensureAdmin({ storage, clock, random }, admin)))) {
      log.info({ email: admin.email }, 'created the administrator from LATCHKEY_ADMIN_EMAIL');
    }

    const directory = createClientDirectory(storage, { capacity: config.clientCacheSize });
    let cacheState = (): ClientCacheState => 'on_demand';
    const stopWarming = new AbortController();
    closers.push(async () => stopWarming.abort());
    const usage = createClientUsage();
    const personalTokenUsage = createPersonalTokenUsage();
    const denylist = createDenylist();
    const watermarks = createWatermarkCache(storage.watermarks);
    denylist.replace(await storage.revocations.listActive(clock.now()));

    const refresh = createCacheRefresh({
      clock,
      log,
      directory,
      watermarks,
      denylist,
      keys,
      keyStore: storage.keys,
      personalTokens: storage.personalTokens,
      revocations: storage.revocations,
      revocationHoldMs: longestTokenLifetimeMs(config),
    });
    closers.push(async () => refresh.close());
    const loginDeps = createLoginDeps(config, storage, clock, log);
    closers.push(() => loginDeps.close());
    const { metrics } = options;
    const changeWaits = createChangeWaits(startSeq);
    closers.push(async () => changeWaits.release());
    const follower = createChangeFollower(storage.changes, startSeq, (change) => {
      refresh.apply(change);
      if (change !== 'reset') changeWaits.advance(change.seq);
      if (change === 'reset') metrics?.changeFeedReset();
      // The wall clock, as the writer stamped the change with (not the injected clock, which tests move).
      else metrics?.changeApplied((Date.now() - change.at) / 1000);
    });
    const syncChanges = async (): Promise<void> => {
      await follower.poll();
      await refresh.settled();
    };
    const flushUsage = async (): Promise<void> => {
      const uses = usage.drain();
      if (uses.length > 0) await storage.clients.recordUses(uses);
      const personalUses = personalTokenUsage.drain();
      if (personalUses.length > 0) await storage.personalTokens.recordUses(personalUses);
    };
    const mail = createMailDelivery({ storage, clock, log, smtpUrl: config.smtpUrl, mailFrom: config.mailFrom, ...(metrics ? { onReport: (report: DeliveryReport) => metrics.mailDelivered(report) } : {}) });

    if (options.background) {
      const every = (ms: number, task: () => Promise<unknown>, what: string): void => {
        const timer = setInterval(() => {
          task().catch((error: unknown) => log.error({ err: error }, `${what} failed`));
        }, ms);
        timer.unref();
        timers.push(timer);
      };
      if (database.dialect === 'postgres') {
        await database.listen(() => void follower.poll().catch((error: unknown) => log.error({ err: error }, 'change feed failed')), {
          lost: (error) => log.warn({ err: error }, `the change feed's LISTEN connection was lost: polling every ${config.changePollMs} ms while it is re-made`),
          restored: () => log.info("the change feed's LISTEN connection is back"),
        });
      }
      // While changes are pushed (LISTEN/NOTIFY), the poll is only a safety net, every few seconds; while
      // they are not (SQLite, or the LISTEN connection is down), it runs every LATCHKEY_CHANGE_POLL_MS, so a
      // revocation still reaches this process within a second.
      let lastPoll = 0;
      every(config.changePollMs, async () => {
        if (database.listening && Date.now() - lastPoll < PUSHED_POLL_MS) return;
        lastPoll = Date.now();
        await follower.poll();
      }, 'following the change log');
      every(5_000, flushUsage, 'writing last-used times');
      if (config.clientCacheWarm) cacheState = warmClientCache(directory, log, stopWarming.signal);
      if (!config.smtpUrl) log.info('LATCHKEY_SMTP_URL is not set: mail is written to this log and kept in the outbox with status "logged"');
      every(config.mailPollMs, mail.run, 'delivering mail');
      every(10 * 60_000, async () => {
        const now = clock.now();
        refresh.reloadDenylist();
        await storage.revocations.prune(now);
        await storage.changes.prune(now - 60 * 60_000);
        await storage.lockouts.prune(now);
        await storage.counters.prune(now);
        await storage.sessions.prune(now, now - SESSION_IDLE_MS);
        await storage.outbox.prune(now - MAIL_RETENTION_MS);
      }, 'pruning revocations, the change log, lock-outs, expired counters, ended sessions and old mail');
      // Personal token expiry notices: idempotent across instances (each notice is claimed once), so every
      // instance may run it; hourly, so a notice goes out within the hour of its day.
      const notices = (): Promise<number> => sendExpiryNotices({ storage, clock, random, issuer: config.issuer });
      every(60 * 60_000, notices, 'sending personal token expiry notices');
      void notices().catch((error: unknown) => log.error({ err: error }, 'sending personal token expiry notices failed'));
    }

    return {
      config,
      log,
      clock,
      random,
      database,
      storage,
      serverKeys,
      keyPolicy,
      keys,
      directory,
      usage,
      personalTokenUsage,
      denylist,
      watermarks,
      signingKeyDeps,
      login: loginDeps.login,
      clientThrottle: loginDeps.clientThrottle,
      signUps: loginDeps.signUps,
      changeWaits,
      settleDeferred: () => loginDeps.settle(),
      syncChanges,
      flushUsage,
      deliverMail: mail.run,
      readiness() {
        const checks: Record<string, ReadinessCheck> = {
          database: async () => {
            await storage.ping();
            return 'ok';
          },
          change_feed: () => Promise.resolve(database.listening ? 'listening' : 'polling'),
          client_cache: () => Promise.resolve(cacheState()),
        };
        const redisPing = loginDeps.ping;
        if (redisPing) {
          checks.redis = async () => {
            await redisPing();
            return 'ok';
          };
        }
        return checkReadiness(checks, READY_TIMEOUT_MS);
      },
      async close() {
        for (const t of timers) clearInterval(t);
        await mail.close().catch((error: unknown) => log.error({ err: error }, 'closing the mail transport failed'));
        await flushUsage().catch((error: unknown) => log.error({ err: error }, 'writing last-used times on close failed'));
        for (const close of closers) await close().catch((error: unknown) => log.error({ err: error }, 'closing failed'));
        await database.close();
      },
    };
  } catch (error) {
    for (const t of timers) clearInterval(t);
    for (const close of closers) await close().catch(() => undefined);
    await database.close().catch(() => undefined);
    throw error;
  }
}
