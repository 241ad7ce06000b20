import type { ChangeWaits } from '../changes/change-waits.js';
import type { Storage } from '../storage.js';
import { DomainError } from '../errors.js';
import { revocationEvents, revocationSnapshot, type RevocationEvent, type RevocationStateDeps } from './revocation-state.js';

/** GET /oauth/revocations's answer (docs/revocation-feed.md). */
export interface RevocationFeedPage {
  /** The change-log position the answer is complete up to: the next call's `since`. */
  readonly cursor: string;
  /** True: replace the whole state with `events`; false: apply them on top. */
  readonly snapshot: boolean;
  /** Seconds: how long a verifier keeps an entry that has no `exp`. */
  readonly max_token_lifetime: number;
  readonly events: readonly RevocationEvent[];
}

export interface ReadRevocationsDeps extends RevocationStateDeps {
  readonly storage: RevocationStateDeps['storage'] & Pick<Storage, 'changes'>;
  /** This process's change follower's position, to wait on (runtime.ts). */
  readonly changeWaits: ChangeWaits;
}

export interface ReadRevocationsInput {
  /** The `since` query parameter as received (a previous cursor; anything else gets a snapshot). */
  readonly since: unknown;
  /** The `wait` query parameter as received: whole seconds 0..30. */
  readonly wait: unknown;
}

export const MAX_WAIT_SECONDS = 30;
// Changes read per answer; a reader further behind gets the rest from its next call, at once.
const BATCH = 1_000;
const CURSOR = /^\d{1,15}$/;

function parseWait(wait: unknown): number {
  if (wait === undefined) return 0;
  if (typeof wait !== 'string') throw new DomainError('bad_request', 'wait must be given once');
  if (!/^\d{1,2}$/.test(wait) || Number(wait) > MAX_WAIT_SECONDS) {
    throw new DomainError('bad_request', `wait must be a whole number of seconds from 0 to ${MAX_WAIT_SECONDS}, not "${wait.slice(0, 20)}"`);
  }
  return Number(wait);
}

type Delta = { readonly cursor: number; readonly events: readonly RevocationEvent[]; readonly more: boolean } | 'snapshot';

// Readers woken by the same change ask for the same cursor at once: they share one reading of it (only
// while it is in flight, so no answer is older than the request that gets it). Per process's waits.
const reading = new WeakMap<ChangeWaits, Map<number | 'snapshot', Promise<unknown>>>();

function shared<T>(deps: ReadRevocationsDeps, key: number | 'snapshot', read: () => Promise<T>): Promise<T> {
  let inFlight = reading.get(deps.changeWaits);
  if (!inFlight) reading.set(deps.changeWaits, (inFlight = new Map()));
  const running = inFlight.get(key) as Promise<T> | undefined;
  if (running) return running;
  const started = read().finally(() => inFlight.delete(key));
  inFlight.set(key, started);
  return started;
}

/** The events after `since`, or `snapshot` when the log no longer holds what follows it (pruned) or never could have issued it. */
function delta(deps: ReadRevocationsDeps, since: number): Promise<Delta> {
  return shared(deps, since, () => readDelta(deps, since));
}

async function readDelta(deps: ReadRevocationsDeps, since: number): Promise<Delta> {
  const latest = await deps.storage.changes.latest();
  if (since > latest) return 'snapshot';
  if (since === latest) return { cursor: since, events: [], more: false };
  const changes = await deps.storage.changes.since(since, BATCH);
  const last = changes.at(-1);
  if (!last || changes[0]?.seq !== since + 1) return 'snapshot';
  return { cursor: last.seq, events: await revocationEvents(deps, changes), more: changes.length === BATCH };
}

function snapshot(deps: ReadRevocationsDeps): Promise<RevocationFeedPage> {
  return shared(deps, 'snapshot', async () => {
    // The position first, then the state: a change committed in between is in both, never in neither.
    const cursor = await deps.storage.changes.latest();
    return page(deps, cursor, true, await revocationSnapshot(deps));
  });
}

function page(deps: ReadRevocationsDeps, cursor: number, isSnapshot: boolean, events: readonly RevocationEvent[]): RevocationFeedPage {
  return { cursor: String(cursor), snapshot: isSnapshot, max_token_lifetime: deps.maxTokenLifetimeSeconds, events };
}

/**
 * The revocation feed: without `since` (or with one this log cannot continue) a snapshot of everything a
 * verifier must refuse; with it, what changed since, as state assertions. With `wait`, when nothing that
 * concerns a verifier happened after `since`, holds the request until something does (this process's change
 * follower, fed by PostgreSQL NOTIFY or the poll, wakes it) or `wait` seconds pass, and ends it at once
 * when the process leaves. Changes that concern no verifier move the cursor on without answering early.
 */
export async function readRevocations(deps: ReadRevocationsDeps, input: ReadRevocationsInput): Promise<RevocationFeedPage> {
  const waitMs = parseWait(input.wait) * 1000;
  if (Array.isArray(input.since)) throw new DomainError('bad_request', 'since must be given once');
  if (typeof input.since !== 'string' || !CURSOR.test(input.since)) return snapshot(deps);
  const deadline = Date.now() + waitMs;
  let cursor = Number(input.since);
  for (;;) {
    const found = await delta(deps, cursor);
    if (found === 'snapshot') return snapshot(deps);
    const answer = page(deps, found.cursor, false, found.events);
    if (found.events.length > 0 || found.more) return answer;
    const remaining = deadline - Date.now();
    // Already past what this process has applied, yet nothing read: answer rather than spin.
    if (remaining <= 0 || deps.changeWaits.released || (found.cursor === cursor && deps.changeWaits.position > cursor)) return answer;
    cursor = found.cursor;
    await deps.changeWaits.wait(cursor, remaining);
  }
}
