import type { Logger } from 'pino';
import type { ClientDirectory } from './domain/clients/client-directory.js';

/** What `/readyz` reports of the client cache (informational: a cold cache answers the same, only slower). */
export type ClientCacheState = 'warming' | 'warm' | 'on_demand';

// A million clients take tens of seconds to load: the log says how far it got this often.
const PROGRESS_EVERY_MS = 10_000;

/**
 * Starts filling the client cache in the background (LATCHKEY_CLIENT_CACHE_WARM) and returns its state
 * for `/readyz`. Logs progress while it runs, `client cache warmed` with the count and milliseconds when it
 * is done, and a warning if it fails (clients are then read as they ask). `signal` stops it quietly.
 */
export function warmClientCache(directory: Pick<ClientDirectory, 'warm'>, log: Pick<Logger, 'info' | 'warn'>, signal: AbortSignal, progressEveryMs = PROGRESS_EVERY_MS): () => ClientCacheState {
  let state: ClientCacheState = 'warming';
  const started = performance.now();
  let lastReport = started;
  const progress = (loaded: number, total: number): void => {
    if (performance.now() - lastReport < progressEveryMs) return;
    lastReport = performance.now();
    log.info({ loaded, total }, 'warming the client cache');
  };
  directory.warm({ signal, progress }).then(
    (added) => {
      state = 'warm';
      log.info({ clients: added, ms: Math.round(performance.now() - started) }, 'client cache warmed');
    },
    (error: unknown) => {
      state = 'on_demand';
      if (!signal.aborted) log.warn({ err: error }, 'warming the client cache failed: clients are read as they ask');
    },
  );
  return () => state;
}
