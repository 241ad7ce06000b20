import { checkIssuer, createDiscovery } from './discovery.js';
import type { RetryOptions } from './retry.js';
import { requestToken, TokenRequestError, type IssuedToken } from './token-request.js';

/**
 * Options of {@link createTokenClient}.
 *
 * @example
 * ```ts
 * const options: TokenClientOptions = {
 *   issuer: 'https://auth.example.org',
 *   clientId: process.env.LATCHKEY_CLIENT_ID!,
 *   clientSecret: process.env.LATCHKEY_CLIENT_SECRET!,
 *   scope: 'email:send',
 * };
 * ```
 */
export interface TokenClientOptions {
  /** Latchkey's issuer URL (endpoints are discovered from its RFC 8414 metadata). */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Scopes to ask for (a space-separated string or a list); default: every scope the client was granted. */
  readonly scope?: string | readonly string[];
  /** RFC 8707 resource indicators. */
  readonly resource?: string | readonly string[];
  readonly fetch?: typeof fetch;
  /**
   * Share of the token's lifetime before expiry in which it is refreshed, in the background, at a
   * random point between `1 - refreshAhead` and `1 - refreshAhead / 2` of the lifetime (default 0.2:
   * at 80–90%), so many clients do not refresh in step.
   */
  readonly refreshAhead?: number;
  readonly retry?: RetryOptions;
}

/**
 * Gets and caches client-credentials access tokens from Latchkey.
 *
 * @example
 * ```ts
 * const client = createTokenClient({ issuer, clientId, clientSecret });
 * const token = await client.getToken();
 * const response = await client.fetch('https://email.internal/send', { method: 'POST', body: JSON.stringify(mail) });
 * client.close();
 * ```
 */
export interface TokenClient {
  /**
   * A valid access token: the cached one, or a new one. Many concurrent callers share one request; a
   * token near its end is refreshed in the background while the current one is still handed out.
   */
  getToken(): Promise<string>;
  /**
   * `fetch` with `Authorization: Bearer <token>`. On a 401 from the resource server, gets a fresh token
   * and retries once (when the body can be sent again: not a stream).
   */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** Stops the client: pending requests are aborted, later calls throw. */
  close(): void;
}

interface Cached extends IssuedToken {
  /** When a background refresh starts. */
  readonly refreshAt: number;
  /** When the token is no longer handed out (a little before expiry, for clock skew and transit). */
  readonly usableUntil: number;
}

function schedule(token: IssuedToken, refreshAhead: number): Cached {
  const lifetime = Math.max(0, token.expiresAt - token.issuedAt);
  const fraction = 1 - refreshAhead + (Math.random() * refreshAhead) / 2;
  return { ...token, refreshAt: token.issuedAt + lifetime * fraction, usableUntil: token.expiresAt - Math.min(5_000, lifetime * 0.05) };
}

function replayable(input: string | URL | Request, init: RequestInit | undefined): boolean {
  if (init && 'body' in init && init.body !== undefined && init.body !== null) return !(init.body instanceof ReadableStream);
  return !(input instanceof Request && input.body !== null);
}

/**
 * Creates a {@link TokenClient} for a Latchkey client (client credentials, HTTP Basic authentication).
 *
 * @example
 * ```ts
 * import { createTokenClient } from '@latchkey/sdk';
 *
 * const client = createTokenClient({
 *   issuer: 'https://auth.example.org',
 *   clientId: process.env.LATCHKEY_CLIENT_ID!,
 *   clientSecret: process.env.LATCHKEY_CLIENT_SECRET!,
 *   scope: 'email:send',
 * });
 * const response = await client.fetch('https://email.internal/v1/send', { method: 'POST', body });
 * ```
 */
export function createTokenClient(options: TokenClientOptions): TokenClient {
  checkIssuer(options.issuer, 'createTokenClient');
  if (typeof options.clientId !== 'string' || !options.clientId || typeof options.clientSecret !== 'string' || !options.clientSecret) {
    throw new TypeError('createTokenClient: clientId and clientSecret are required (the credential Latchkey showed when the client was created)');
  }
  const fetcher = options.fetch ?? globalThis.fetch;
  const refreshAhead = Math.min(1, Math.max(0, options.refreshAhead ?? 0.2));
  const discovery = createDiscovery(options.issuer, { fetch: fetcher, ...(options.retry ? { retry: options.retry } : {}) });
  const abort = new AbortController();
  let current: Cached | null = null;
  let inflight: Promise<Cached> | null = null;

  const refresh = (): Promise<Cached> => {
    inflight ??= (async () => {
      try {
        const metadata = await discovery.metadata();
        const token = await requestToken({ ...options, metadata, fetch: fetcher, signal: abort.signal });
        if (abort.signal.aborted) throw new TokenRequestError(0, 'aborted', 'the token client was closed');
        current = schedule(token, refreshAhead);
        return current;
      } finally {
        inflight = null;
      }
    })();
    return inflight;
  };

  const getToken = async (): Promise<string> => {
    if (abort.signal.aborted) throw new TokenRequestError(0, 'aborted', 'the token client was closed');
    const now = Date.now();
    if (current && now < current.usableUntil) {
      // Serve the current token; a failed background refresh is tried again by a later call.
      if (now >= current.refreshAt && !inflight) refresh().catch(() => undefined);
      return current.accessToken;
    }
    return (await refresh()).accessToken;
  };

  const send = async (input: string | URL | Request, init: RequestInit | undefined, token: string): Promise<Response> => {
    const headers = new Headers(input instanceof Request ? input.headers : undefined);
    new Headers(init?.headers).forEach((value, name) => headers.set(name, value));
    headers.set('authorization', `Bearer ${token}`);
    return fetcher(input, { ...init, headers });
  };

  return {
    getToken,
    async fetch(input, init) {
      const token = await getToken();
      const response = await send(input, init, token);
      if (response.status !== 401 || !replayable(input, init)) return response;
      await response.body?.cancel();
      if (current?.accessToken === token) current = null;
      return send(input, init, await getToken());
    },
    close() {
      abort.abort();
      current = null;
    },
  };
}
