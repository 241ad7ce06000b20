/**
 * How requests to Latchkey (discovery, token requests) are retried: a bounded number of attempts with
 * exponential backoff and full jitter, honouring `Retry-After`.
 *
 * @example
 * ```ts
 * const client = createTokenClient({ issuer, clientId, clientSecret, retry: { attempts: 6, baseDelayMs: 200 } });
 * ```
 */
export interface RetryOptions {
  /** Total attempts, the first included (default 4). */
  readonly attempts?: number;
  /** Backoff base: attempt n waits a random time in [0, min(maxDelayMs, baseDelayMs * 2^n)) (default 100). */
  readonly baseDelayMs?: number;
  /** Ceiling of one wait, `Retry-After` included (default 5000). */
  readonly maxDelayMs?: number;
}

const DEFAULTS = { attempts: 4, baseDelayMs: 100, maxDelayMs: 5_000 } as const;

/**
 * What one attempt came to: a final answer, or a reason to try again (with the server's `Retry-After`).
 *
 * @example
 * ```ts
 * const outcome: AttemptOutcome<string> = response.ok ? { done: await response.text() } : { retry: new Error('503') };
 * ```
 */
export type AttemptOutcome<T> = { readonly done: T } | { readonly retry: Error; readonly retryAfterMs?: number };

/**
 * Whether an HTTP status is worth another attempt: 5xx and 429. 4xx other than 429 never are.
 *
 * @example
 * ```ts
 * isRetryableStatus(503); // true
 * isRetryableStatus(401); // false
 * ```
 */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 429;
}

/**
 * `Retry-After` (RFC 9110 §10.2.3: seconds or an HTTP date) in milliseconds, or undefined.
 *
 * @example
 * ```ts
 * retryAfterMs(new Response(null, { status: 429, headers: { 'retry-after': '2' } })); // 2000
 * ```
 */
export function retryAfterMs(response: Response, now = Date.now()): number | undefined {
  const value = response.headers.get('retry-after');
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait before attempt `attempt + 1` (0-based `attempt` just failed): full jitter, or the server's wish.
 *
 * @example
 * ```ts
 * await sleep(backoffDelay({ baseDelayMs: 100 }, attempt));
 * ```
 */
export function backoffDelay(options: RetryOptions | undefined, attempt: number, serverAskedMs?: number): number {
  const base = options?.baseDelayMs ?? DEFAULTS.baseDelayMs;
  const max = options?.maxDelayMs ?? DEFAULTS.maxDelayMs;
  if (serverAskedMs !== undefined) return Math.min(max, serverAskedMs);
  return Math.random() * Math.min(max, base * 2 ** attempt);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * Runs `attempt` until it is done or the attempts are spent; then throws the last retry reason. Errors
 * `attempt` throws are final (not retried): network errors must be turned into `{ retry }` by the caller.
 *
 * @example
 * ```ts
 * const text = await withRetry({ attempts: 3 }, async () => {
 *   const response = await fetch(url);
 *   return isRetryableStatus(response.status) ? { retry: new Error(`${response.status}`) } : { done: await response.text() };
 * });
 * ```
 */
export async function withRetry<T>(options: RetryOptions | undefined, attempt: (n: number) => Promise<AttemptOutcome<T>>): Promise<T> {
  const attempts = Math.max(1, options?.attempts ?? DEFAULTS.attempts);
  let last: Error = new Error('no attempt made');
  for (let n = 0; n < attempts; n += 1) {
    const outcome = await attempt(n);
    if ('done' in outcome) return outcome.done;
    last = outcome.retry;
    if (n + 1 < attempts) await sleep(backoffDelay(options, n, outcome.retryAfterMs));
  }
  throw last;
}

/**
 * Runs one fetch, turning a network failure (the request never got an answer) into a retry reason.
 *
 * @example
 * ```ts
 * const result = await fetchOrRetry(fetch, url, {});
 * if ('retry' in result) return result; // a network error: try again
 * ```
 */
export async function fetchOrRetry(fetcher: typeof fetch, url: string, init: RequestInit): Promise<{ response: Response } | { retry: Error }> {
  try {
    return { response: await fetcher(url, init) };
  } catch (error) {
    return { retry: error instanceof Error ? error : new Error(String(error)) };
  }
}
