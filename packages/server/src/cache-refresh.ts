import type { Logger } from 'pino';
import type { Clock } from './domain/clock.js';
import type { Change } from './domain/changes/change-feed.js';
import type { ClientDirectory } from './domain/clients/client-directory.js';
import type { KeyManager } from './domain/keys/key-manager.js';
import type { SigningKeyStore } from './domain/keys/signing-key.js';
import type { PersonalTokenStore } from './domain/personal-tokens/personal-token.js';
import type { Denylist, RevocationStore } from './domain/tokens/denylist.js';
import type { WatermarkCache } from './domain/tokens/watermark-cache.js';

export interface CacheRefreshDeps {
  readonly clock: Clock;
  readonly log: Pick<Logger, 'error'>;
  readonly directory: ClientDirectory;
  readonly watermarks: WatermarkCache;
  readonly denylist: Denylist;
  readonly keys: Pick<KeyManager, 'load'>;
  readonly keyStore: Pick<SigningKeyStore, 'list'>;
  /** The live personal tokens, which keep the keys that signed them published. */
  readonly personalTokens: Pick<PersonalTokenStore, 'liveGenerations'>;
  readonly revocations: Pick<RevocationStore, 'listActive'>;
  /** How long a revocation learnt from the feed is kept before the next full reload gives its real expiry. */
  readonly revocationHoldMs: number;
  /** Wait before retrying a failed reload (default 1 s). */
  readonly retryMs?: number;
}

export interface CacheRefresh {
  /** Applies one change of the log, or a `reset` (entries were pruned before this process read them). */
  apply(change: Change | 'reset'): void;
  /** Reads the revocation denylist again (its entries' exact expiries; the expired ones drop out). */
  reloadDenylist(): void;
  /** Resolves once the reloads started so far have finished (succeeded, or failed and been logged). */
  settled(): Promise<void>;
  close(): void;
}

/**
 * Keeps this process's caches in step with the change log. Reloads that fail (the database is down for a
 * moment) are logged and retried, never left as an unhandled rejection that would end the process, and
 * never given up: a denylist that missed a revocation would let a revoked token pass introspection.
 */
export function createCacheRefresh(deps: CacheRefreshDeps): CacheRefresh {
  const retryMs = deps.retryMs ?? 1_000;
  const running = new Map<string, Promise<void>>();
  const retries = new Set<NodeJS.Timeout>();
  let closed = false;

  // One reload of each kind at a time; one asked for while it runs runs again after it (the running one
  // may have read before the change that asked).
  const again = new Set<string>();
  const reload = (what: string, work: () => Promise<void>): void => {
    if (closed) return;
    if (running.has(what)) {
      again.add(what);
      return;
    }
    const attempt = work()
      .catch((error: unknown) => {
        deps.log.error({ err: error }, `${what} failed; retrying in ${retryMs} ms`);
        if (closed) return;
        const timer = setTimeout(() => {
          retries.delete(timer);
          reload(what, work);
        }, retryMs);
        timer.unref();
        retries.add(timer);
      })
      .finally(() => {
        running.delete(what);
        if (again.delete(what)) reload(what, work);
      });
    running.set(what, attempt);
  };
  const reloadKeys = (): void => reload('reloading signing keys', async () => {
    const [records, generations] = await Promise.all([deps.keyStore.list(), deps.personalTokens.liveGenerations(deps.clock.now())]);
    deps.keys.load(records, generations);
  });
  const reloadCatalog = (): void => reload('reloading the service catalog', () => deps.directory.refreshCatalog());
  const reloadDenylist = (): void =>
    reload('reloading the revocation denylist', async () => deps.denylist.replace(await deps.revocations.listActive(deps.clock.now())));

  return {
    apply(change) {
      if (change === 'reset') {
        deps.directory.clear();
        deps.watermarks.clear();
        reloadKeys();
        reloadDenylist();
        return;
      }
      switch (change.entity) {
        case 'client':
          deps.directory.invalidate(change.id);
          break;
        case 'service':
          reloadCatalog();
          break;
        case 'application':
          deps.directory.invalidateApplication(change.id);
          break;
        case 'key':
          reloadKeys();
          break;
        case 'revocation':
          // The exact expiry arrives with the next full reload; until then keep it as long as any token lives.
          deps.denylist.add({ jti: change.id, expiresAt: deps.clock.now() + deps.revocationHoldMs });
          break;
        case 'personal_token':
          // Read through on every use; but a live personal token keeps the key that signed it published.
          reloadKeys();
          break;
        case 'user':
        case 'team':
          // Read through on every use (portal requests, introspection): nothing cached to drop.
          break;
        case 'watermark':
          deps.watermarks.invalidate(change.id);
          break;
      }
    },
    reloadDenylist,
    async settled() {
      while (running.size > 0) await Promise.all(running.values());
    },
    close() {
      closed = true;
      for (const timer of retries) clearTimeout(timer);
      retries.clear();
    },
  };
}
