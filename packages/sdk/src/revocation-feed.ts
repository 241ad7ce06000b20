/**
 * The follower of Latchkey's revocation feed (`GET /oauth/revocations`, docs/revocation-feed.md): it keeps,
 * in memory, what a verifier of Latchkey JWTs must refuse (revoked token ids, disabled clients and users,
 * subjects' token generations), learns of a change within a second of it on any Latchkey instance, and
 * says when it has lost touch for too long to be trusted.
 */

/**
 * How to reach the feed, and how patient to be with it.
 *
 * @example
 * ```ts
 * const revocations: RevocationFeedOptions = { issuer, clientId, clientSecret, staleAfter: 30_000 };
 * const verifier = createVerifier({ issuer, audience, revocations });
 * ```
 */
export interface RevocationFeedOptions {
  /** Latchkey's issuer URL; the feed is its metadata's `revocation_feed_endpoint`. */
  issuer: string;
  /** Any enabled client's credentials (sent with HTTP Basic). */
  clientId: string;
  clientSecret: string;
  fetch?: typeof fetch;
  /** Long-poll seconds per request, 1..30 (default 20). */
  wait?: number;
  /** Milliseconds without a completed answer before the state is stale (default 30 000; more than `wait`). */
  staleAfter?: number;
  /** Told of each failed request (the follower retries on its own). */
  onError?: (error: Error) => void;
}

/**
 * The claims of a verified token that the feed can refuse it by.
 *
 * @example
 * ```ts
 * const claims: RevocableClaims = { jti: payload.jti, client_id: payload.client_id, sub: payload.sub };
 * feed.check(claims);
 * ```
 */
export interface RevocableClaims {
  jti?: unknown;
  client_id?: unknown;
  sub?: unknown;
  gen?: unknown;
  exp?: unknown;
}

/**
 * A running follower, which the verifier asks about every token.
 *
 * @example
 * ```ts
 * const feed = createRevocationFeed({ issuer, clientId, clientSecret });
 * await feed.ready();
 * if (feed.check(claims) === 'token_revoked') refuse();
 * ```
 */
export interface RevocationFeed {
  /** Resolves after the first snapshot is applied (rejects if it cannot be had within `staleAfter`). */
  ready(): Promise<void>;
  /**
   * Why the token must be refused, or null. `'stale'` when the feed has not answered for staleAfter ms.
   * `kid`: the key id in the token's header, refused when its key was revoked (an emergency rotation).
   */
  check(claims: RevocableClaims, kid?: string): 'token_revoked' | 'stale' | null;
  /** The position the state is complete up to (null before the first snapshot). */
  readonly cursor: string | null;
  /** Stops following (a request in flight is aborted). */
  close(): void;
}

type FeedEvent =
  | { type: 'token'; id: string; revoked: boolean; exp: number }
  | { type: 'client' | 'user' | 'key'; id: string; revoked: boolean }
  | { type: 'generation'; id: string; generation: number };

interface FeedPage {
  cursor: string;
  snapshot: boolean;
  max_token_lifetime: number;
  events: FeedEvent[];
}

const DEFAULT_WAIT = 20;
const DEFAULT_STALE_AFTER = 30_000;
// Retries after a failure: 250 ms doubling to 5 s, with jitter, so a restarted server is caught up with quickly.
const BACKOFF_FIRST_MS = 250;
const BACKOFF_MAX_MS = 5_000;
// Beyond `wait`, how long a request may take before the connection counts as dead.
const REQUEST_GRACE_MS = 5_000;
// An empty answer well before `wait` (the server is leaving): pause before asking again.
const EARLY_PAUSE_MS = 500;

function isFeedPage(body: unknown): body is FeedPage {
  const page = body as Partial<FeedPage> | null;
  return typeof page === 'object' && page !== null && typeof page.cursor === 'string' && typeof page.snapshot === 'boolean' && Array.isArray(page.events);
}

function basicAuthorization(clientId: string, clientSecret: string): string {
  // RFC 6749 §2.3.1: each half form-encoded, then Basic.
  const form = (s: string): string => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${btoa(`${form(clientId)}:${form(clientSecret)}`)}`;
}

/** The revoked state, as the feed's events assert it. */
class RevocationState {
  /** jti → exp (seconds). */
  readonly tokens = new Map<string, number>();
  readonly clients = new Set<string>();
  readonly users = new Set<string>();
  /** Signing keys revoked in an emergency rotation, by kid. */
  readonly keys = new Set<string>();
  readonly generations = new Map<string, number>();

  apply(page: FeedPage): void {
    if (page.snapshot) {
      this.tokens.clear();
      this.clients.clear();
      this.users.clear();
      this.keys.clear();
      this.generations.clear();
    }
    for (const event of page.events) {
      switch (event.type) {
        case 'token':
          if (event.revoked) this.tokens.set(event.id, event.exp);
          else this.tokens.delete(event.id);
          break;
        case 'client':
        case 'user':
        case 'key': {
          const set = event.type === 'client' ? this.clients : event.type === 'user' ? this.users : this.keys;
          if (event.revoked) set.add(event.id);
          else set.delete(event.id);
          break;
        }
        case 'generation':
          this.generations.set(event.id, Math.max(event.generation, this.generations.get(event.id) ?? 0));
          break;
      }
    }
  }

  /** Drops token entries whose token has expired. */
  prune(nowSeconds: number): void {
    for (const [jti, exp] of this.tokens) if (exp <= nowSeconds) this.tokens.delete(jti);
  }

  revokes(claims: RevocableClaims, kid: string | undefined, nowSeconds: number): boolean {
    if (kid !== undefined && this.keys.has(kid)) return true;
    if (typeof claims.jti === 'string') {
      const exp = this.tokens.get(claims.jti);
      if (exp !== undefined && exp > nowSeconds) return true;
    }
    if (typeof claims.client_id === 'string' && this.clients.has(claims.client_id)) return true;
    if (typeof claims.sub === 'string') {
      if (this.users.has(claims.sub)) return true;
      const generation = this.generations.get(claims.sub);
      if (generation !== undefined && typeof claims.gen === 'number' && claims.gen < generation) return true;
    }
    return false;
  }
}

/**
 * Starts following the revocation feed of `issuer`: discovers the endpoint, takes a snapshot, then
 * long-polls with the cursor, reconnecting with backoff after errors (it catches up from its cursor, and
 * starts over from a snapshot when the server says so). `check` fails closed: `'stale'` before the first
 * snapshot and whenever no answer completed for `staleAfter` ms.
 *
 * @example
 * ```ts
 * import { createRevocationFeed } from '@latchkey/sdk';
 *
 * const feed = createRevocationFeed({ issuer: 'https://latchkey.example.com', clientId: 'orders-prod-1a2b', clientSecret: process.env.LATCHKEY_SECRET! });
 * await feed.ready();
 * // After verifying a token's signature and claims:
 * const refusal = feed.check(claims); // 'token_revoked' | 'stale' | null
 * if (refusal) throw new Error(`token refused: ${refusal}`);
 * ```
 */
export function createRevocationFeed(options: RevocationFeedOptions): RevocationFeed {
  const wait = options.wait ?? DEFAULT_WAIT;
  const staleAfter = options.staleAfter ?? DEFAULT_STALE_AFTER;
  if (!Number.isInteger(wait) || wait < 1 || wait > 30) throw new TypeError(`wait must be a whole number of seconds from 1 to 30, not ${String(options.wait)}`);
  if (!(staleAfter > wait * 1000)) throw new TypeError(`staleAfter (${staleAfter} ms) must be longer than wait (${wait} s), or the feed goes stale between answers`);
  const fetcher = options.fetch ?? fetch;
  const issuer = options.issuer.replace(/\/+$/, '');
  const authorization = basicAuthorization(options.clientId, options.clientSecret);
  const state = new RevocationState();
  let cursor: string | null = null;
  let lastAnswerAt = 0;
  let closed = false;
  let inFlight: AbortController | null = null;
  let pause: { timer: ReturnType<typeof setTimeout>; resolve: () => void } | null = null;

  let resolveReady!: () => void;
  let rejectReady!: (error: Error) => void;
  const readyPromise = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  // A caller who never asks for ready() must not see an unhandled rejection.
  readyPromise.catch(() => undefined);
  const readyTimer = setTimeout(() => rejectReady(new Error(`the revocation feed of ${issuer} gave no snapshot within ${staleAfter} ms`)), staleAfter);
  readyTimer.unref?.();

  const sleep = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      if (closed) return resolve();
      const timer = setTimeout(() => {
        pause = null;
        resolve();
      }, ms);
      timer.unref?.();
      pause = { timer, resolve };
    });

  const report = (error: unknown): void => {
    if (closed) return;
    options.onError?.(error instanceof Error ? error : new Error(String(error)));
  };

  async function getJson(url: string, timeoutMs: number, headers: Record<string, string> = {}): Promise<unknown> {
    const controller = new AbortController();
    inFlight = controller;
    const timer = setTimeout(() => controller.abort(new Error(`no answer from ${url} within ${timeoutMs} ms`)), timeoutMs);
    try {
      const response = await fetcher(url, { headers: { accept: 'application/json', ...headers }, signal: controller.signal });
      const text = await response.text();
      if (!response.ok) {
        let why = text.slice(0, 200);
        try {
          const body = JSON.parse(text) as { error?: string; error_description?: string };
          if (body.error) why = `${body.error}: ${body.error_description ?? ''}`;
        } catch {
          // Not JSON: the text itself.
        }
        throw new Error(`${url} answered ${response.status} (${why})`);
      }
      return JSON.parse(text) as unknown;
    } finally {
      clearTimeout(timer);
      inFlight = null;
    }
  }

  async function discover(): Promise<string> {
    const metadata = (await getJson(`${issuer}/.well-known/oauth-authorization-server`, REQUEST_GRACE_MS * 2)) as { revocation_feed_endpoint?: unknown };
    if (typeof metadata.revocation_feed_endpoint !== 'string') {
      throw new Error(`${issuer}'s metadata has no revocation_feed_endpoint: is it a Latchkey server with the revocation feed?`);
    }
    return metadata.revocation_feed_endpoint;
  }

  async function run(): Promise<void> {
    let endpoint: string | null = null;
    let failures = 0;
    while (!closed) {
      try {
        endpoint ??= await discover();
        const holding = cursor === null ? 0 : wait;
        const query = cursor === null ? '' : `?since=${encodeURIComponent(cursor)}&wait=${holding}`;
        const started = Date.now();
        const body = await getJson(`${endpoint}${query}`, holding * 1000 + REQUEST_GRACE_MS, { authorization });
        if (!isFeedPage(body)) throw new Error(`${endpoint} answered something that is not a revocation feed page`);
        if (closed) return;
        if (cursor === null && !body.snapshot) throw new Error(`${endpoint} answered a delta to a request for a snapshot`);
        state.apply(body);
        state.prune(Date.now() / 1000);
        cursor = body.cursor;
        lastAnswerAt = Date.now();
        failures = 0;
        if (body.snapshot) {
          clearTimeout(readyTimer);
          resolveReady();
        }
        if (holding > 0 && !body.snapshot && body.events.length === 0 && Date.now() - started < holding * 500) await sleep(EARLY_PAUSE_MS);
      } catch (error) {
        if (closed) return;
        report(error);
        failures++;
        const backoff = Math.min(BACKOFF_FIRST_MS * 2 ** (failures - 1), BACKOFF_MAX_MS);
        await sleep(backoff / 2 + Math.random() * (backoff / 2));
      }
    }
  }

  void run();

  return {
    ready: () => readyPromise,
    check(claims, kid) {
      const now = Date.now();
      if (state.revokes(claims, kid, now / 1000)) return 'token_revoked';
      if (cursor === null || now - lastAnswerAt > staleAfter) return 'stale';
      return null;
    },
    get cursor() {
      return cursor;
    },
    close() {
      if (closed) return;
      closed = true;
      clearTimeout(readyTimer);
      rejectReady(new Error('the revocation feed was closed'));
      inFlight?.abort(new Error('the revocation feed was closed'));
      if (pause) {
        clearTimeout(pause.timer);
        pause.resolve();
      }
    },
  };
}
