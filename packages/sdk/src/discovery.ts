import { fetchOrRetry, isRetryableStatus, retryAfterMs, withRetry, type RetryOptions } from './retry.js';

/**
 * The RFC 8414 authorization server metadata members the SDK reads (others are kept in the object).
 *
 * @example
 * ```ts
 * const metadata: AuthorizationServerMetadata = await discover('https://auth.example.org');
 * console.log(metadata.token_endpoint);
 * ```
 */
export interface AuthorizationServerMetadata {
  readonly issuer: string;
  readonly token_endpoint: string;
  readonly jwks_uri?: string;
  readonly revocation_feed_endpoint?: string;
  readonly [member: string]: unknown;
}

/**
 * Options of {@link discover} and {@link createDiscovery}.
 *
 * @example
 * ```ts
 * const options: DiscoveryOptions = { fetch: globalThis.fetch, retry: { attempts: 3 } };
 * ```
 */
export interface DiscoveryOptions {
  readonly fetch?: typeof fetch;
  readonly retry?: RetryOptions;
}

/**
 * Discovery failed: no metadata could be had, or it names another issuer.
 *
 * @example
 * ```ts
 * try { await discover(issuer); } catch (error) { if (error instanceof DiscoveryError) console.error(error.message); }
 * ```
 */
export class DiscoveryError extends Error {
  override readonly name = 'DiscoveryError';
}

const WELL_KNOWN = ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration'] as const;

/**
 * Checks an `issuer` option: an http(s) URL without query or fragment (what LATCHKEY_ISSUER is).
 *
 * @example
 * ```ts
 * checkIssuer('https://auth.example.org', 'createVerifier'); // throws a TypeError saying what to fix otherwise
 * ```
 */
export function checkIssuer(issuer: unknown, where: string): string {
  let url: URL | null = null;
  try {
    url = typeof issuer === 'string' ? new URL(issuer) : null;
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash) {
    throw new TypeError(`${where}: issuer must be Latchkey's issuer URL (LATCHKEY_ISSUER), such as https://auth.example.org; got ${JSON.stringify(issuer)}`);
  }
  return normalizeIssuer(issuer as string);
}

/**
 * The issuer without a trailing slash, as Latchkey writes it in `iss`.
 *
 * @example
 * ```ts
 * normalizeIssuer('https://auth.example.org/'); // 'https://auth.example.org'
 * ```
 */
export function normalizeIssuer(issuer: string): string {
  return issuer.replace(/\/+$/, '');
}

/**
 * Fetches the issuer's RFC 8414 metadata from `/.well-known/oauth-authorization-server`, falling back to
 * `/.well-known/openid-configuration` on a 404, retrying 5xx, 429 and network errors. Checks that the
 * document's `issuer` is the one asked for (RFC 8414 §3.3).
 *
 * @example
 * ```ts
 * const { token_endpoint, jwks_uri } = await discover('https://auth.example.org');
 * ```
 */
export async function discover(issuer: string, options: DiscoveryOptions = {}): Promise<AuthorizationServerMetadata> {
  const base = normalizeIssuer(issuer);
  const fetcher = options.fetch ?? globalThis.fetch;
  let lastStatus = 0;
  for (const path of WELL_KNOWN) {
    const url = `${base}${path}`;
    const found = await withRetry(options.retry, async () => {
      const result = await fetchOrRetry(fetcher, url, { headers: { accept: 'application/json' } });
      if ('retry' in result) return { retry: new DiscoveryError(`cannot reach ${url}: ${result.retry.message}`) };
      const { response } = result;
      if (isRetryableStatus(response.status)) {
        await response.body?.cancel();
        const wait = retryAfterMs(response);
        return { retry: new DiscoveryError(`${url} answered ${response.status}`), ...(wait === undefined ? {} : { retryAfterMs: wait }) };
      }
      if (!response.ok) {
        await response.body?.cancel();
        return { done: response.status };
      }
      return { done: (await response.json().catch(() => null)) as unknown };
    });
    if (typeof found === 'number') {
      lastStatus = found;
      if (found === 404) continue;
      throw new DiscoveryError(`${url} answered ${found}: expected the authorization server metadata`);
    }
    return checkMetadata(found, base, url);
  }
  throw new DiscoveryError(`no authorization server metadata at ${base}${WELL_KNOWN[0]} (${lastStatus}): is ${base} Latchkey's issuer URL?`);
}

function checkMetadata(document: unknown, issuer: string, url: string): AuthorizationServerMetadata {
  if (typeof document !== 'object' || document === null) throw new DiscoveryError(`${url} did not answer a JSON object`);
  const metadata = document as Record<string, unknown>;
  if (metadata.issuer !== issuer) {
    throw new DiscoveryError(`${url} names issuer ${JSON.stringify(metadata.issuer)}, not ${JSON.stringify(issuer)}: configure the issuer exactly as the server announces it`);
  }
  if (typeof metadata.token_endpoint !== 'string') throw new DiscoveryError(`${url} has no token_endpoint`);
  return metadata as AuthorizationServerMetadata;
}

/**
 * A cached, single-flight {@link discover}: the first call fetches, concurrent callers share it, a failure
 * is not cached (the next call tries again).
 *
 * @example
 * ```ts
 * const discovery = createDiscovery('https://auth.example.org');
 * const metadata = await discovery.metadata();
 * ```
 */
export interface Discovery {
  metadata(): Promise<AuthorizationServerMetadata>;
}

/**
 * Creates a {@link Discovery} for an issuer.
 *
 * @example
 * ```ts
 * const discovery = createDiscovery('https://auth.example.org', { retry: { attempts: 5 } });
 * const { jwks_uri } = await discovery.metadata();
 * ```
 */
export function createDiscovery(issuer: string, options: DiscoveryOptions = {}): Discovery {
  let pending: Promise<AuthorizationServerMetadata> | null = null;
  return {
    metadata() {
      pending ??= discover(issuer, options).catch((error: unknown) => {
        pending = null;
        throw error;
      });
      return pending;
    },
  };
}
