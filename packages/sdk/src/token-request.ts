import type { AuthorizationServerMetadata } from './discovery.js';
import { fetchOrRetry, isRetryableStatus, retryAfterMs, withRetry, type RetryOptions } from './retry.js';

/**
 * A token request failed: the server refused it (`400`/`401`, never retried) or kept failing (5xx, 429,
 * network errors, after the retries). Carries the server's RFC 6749 §5.2 `error` and `error_description`.
 *
 * @example
 * ```ts
 * try {
 *   await client.getToken();
 * } catch (error) {
 *   if (error instanceof TokenRequestError && error.error === 'invalid_client') console.error(error.errorDescription);
 * }
 * ```
 */
export class TokenRequestError extends Error {
  override readonly name = 'TokenRequestError';
  /** The HTTP status, or 0 when no answer came (a network error). */
  readonly status: number;
  /** RFC 6749 `error` (`invalid_client`, `invalid_scope`, …), or `network_error` / `server_error`. */
  readonly error: string;
  readonly errorDescription: string | undefined;

  constructor(status: number, error: string, errorDescription?: string) {
    super(`token request failed${status ? ` (${status})` : ''}: ${error}${errorDescription ? `: ${errorDescription}` : ''}`);
    this.status = status;
    this.error = error;
    this.errorDescription = errorDescription;
  }
}

/**
 * A token as issued, with when it stops being valid (ms since the epoch).
 *
 * @example
 * ```ts
 * const { accessToken, expiresAt } = await requestToken(input);
 * ```
 */
export interface IssuedToken {
  readonly accessToken: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

/**
 * The input of {@link requestToken}.
 *
 * @example
 * ```ts
 * const input: TokenRequestInput = { metadata, clientId, clientSecret, fetch };
 * ```
 */
export interface TokenRequestInput {
  readonly metadata: AuthorizationServerMetadata;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scope?: string | readonly string[] | undefined;
  readonly resource?: string | readonly string[] | undefined;
  readonly fetch: typeof fetch;
  readonly retry?: RetryOptions | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded.
 *
 * @example
 * ```ts
 * headers.set('authorization', basicCredentials('billing-dev-3f9a', 'lks_…'));
 * ```
 */
export function basicCredentials(clientId: string, clientSecret: string): string {
  const encode = (value: string): string => new URLSearchParams({ v: value }).toString().slice(2);
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}

function form(input: TokenRequestInput): string {
  const body = new URLSearchParams({ grant_type: 'client_credentials' });
  const scope = typeof input.scope === 'string' ? input.scope : input.scope?.join(' ');
  if (scope) body.set('scope', scope);
  for (const resource of typeof input.resource === 'string' ? [input.resource] : (input.resource ?? [])) body.append('resource', resource);
  return body.toString();
}

async function errorOf(response: Response): Promise<TokenRequestError> {
  const body = (await response.json().catch(() => null)) as { error?: unknown; error_description?: unknown } | null;
  const error = typeof body?.error === 'string' ? body.error : response.status >= 500 ? 'server_error' : 'invalid_request';
  const description = typeof body?.error_description === 'string' ? body.error_description : undefined;
  return new TokenRequestError(response.status, error, description);
}

function lifetimeOf(accessToken: string, expiresIn: unknown, now: number): number {
  if (typeof expiresIn === 'number' && expiresIn > 0) return expiresIn * 1000;
  // No expires_in: the JWT's own exp, else a conservative minute.
  try {
    const payload = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    if (typeof payload.exp === 'number') return Math.max(0, payload.exp * 1000 - now);
  } catch {
    // not a JWT: fall through
  }
  return 60_000;
}

/**
 * One client-credentials token request (RFC 6749 §4.4), retried on 5xx, 429 and network errors.
 *
 * @example
 * ```ts
 * const token = await requestToken({ metadata: await discover(issuer), clientId, clientSecret, fetch });
 * ```
 */
export async function requestToken(input: TokenRequestInput): Promise<IssuedToken> {
  const init: RequestInit = {
    method: 'POST',
    headers: { authorization: basicCredentials(input.clientId, input.clientSecret), 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: form(input),
    ...(input.signal ? { signal: input.signal } : {}),
  };
  return withRetry<IssuedToken>(input.retry, async () => {
    const sentAt = Date.now();
    const result = await fetchOrRetry(input.fetch, input.metadata.token_endpoint, init);
    if ('retry' in result) {
      if (input.signal?.aborted) throw new TokenRequestError(0, 'aborted', 'the token client was closed');
      return { retry: new TokenRequestError(0, 'network_error', `${input.metadata.token_endpoint}: ${result.retry.message}`) };
    }
    const { response } = result;
    if (isRetryableStatus(response.status)) {
      const wait = retryAfterMs(response);
      return { retry: await errorOf(response), ...(wait === undefined ? {} : { retryAfterMs: wait }) };
    }
    if (!response.ok) throw await errorOf(response);
    const body = (await response.json().catch(() => null)) as { access_token?: unknown; expires_in?: unknown } | null;
    if (typeof body?.access_token !== 'string') throw new TokenRequestError(response.status, 'invalid_response', 'the token endpoint answered without an access_token');
    return { done: { accessToken: body.access_token, issuedAt: sentAt, expiresAt: sentAt + lifetimeOf(body.access_token, body.expires_in, sentAt) } };
  });
}
