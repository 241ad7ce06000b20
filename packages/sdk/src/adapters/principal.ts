import { VERIFY_NOW, type Principal, type Verifier, type VerifierWithNow } from '../verifier.js';
import { VerifyError } from '../verify-error.js';

/**
 * The request headers the adapters read: Node's `IncomingHttpHeaders`, Express's and Fastify's
 * `request.headers`, or a WHATWG `Headers`.
 *
 * @example
 * ```ts
 * const headers: HeaderSource = { authorization: 'Bearer eyJ…' };
 * ```
 */
export type HeaderSource = Readonly<Record<string, string | readonly string[] | undefined>> | Headers;

/**
 * The bearer token of an `Authorization: Bearer <token>` header (RFC 6750 §2.1).
 * Throws `missing_token` without one and `invalid_request` for a malformed header.
 *
 * @example
 * ```ts
 * const token = bearerToken(request.headers);
 * ```
 */
export function bearerToken(headers: HeaderSource, realm?: string): string {
  const raw = headers instanceof Headers ? headers.get('authorization') : headers.authorization;
  if (raw === undefined || raw === null || raw === '') throw new VerifyError('missing_token', 'send the access token in an Authorization: Bearer header', { realm });
  if (typeof raw !== 'string') throw new VerifyError('invalid_request', 'send exactly one Authorization header', { realm });
  // RFC 6750 §2.1: "Bearer" (any case), one or more spaces, the token (its syntax is the verifier's to judge).
  if (raw.length < 8 || (!raw.startsWith('Bearer ') && raw.slice(0, 7).toLowerCase() !== 'bearer ')) {
    if (/^bearer\s*$/i.test(raw)) throw new VerifyError('invalid_request', 'the Authorization header must be "Bearer <token>"', { realm });
    throw new VerifyError('missing_token', 'send the access token in an Authorization: Bearer header', { realm });
  }
  const token = raw.charCodeAt(7) === 32 || raw.charCodeAt(raw.length - 1) === 32 ? raw.slice(7).trim() : raw.slice(7);
  if (token === '' || token.includes(' ')) throw new VerifyError('invalid_request', 'the Authorization header must be "Bearer <token>"', { realm });
  return token;
}

/**
 * Options of {@link createPrincipalResolver}.
 *
 * @example
 * ```ts
 * const options: PrincipalResolverOptions = { requiredScopes: ['email:send'] };
 * ```
 */
export interface PrincipalResolverOptions {
  readonly requiredScopes?: readonly string[];
}

/**
 * A plain `(request) => principal` for any framework: reads the bearer token, verifies it, and resolves
 * the principal or rejects with a {@link VerifyError} (its `status`, `wwwAuthenticate` and `body()` make
 * the answer).
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * const principalOf = createPrincipalResolver(verifier);
 * createServer(async (request, response) => {
 *   try {
 *     const principal = await principalOf(request);
 *     response.end(`hello ${principal.subject}`);
 *   } catch (error) {
 *     if (!(error instanceof VerifyError)) throw error;
 *     response.writeHead(error.status, { 'www-authenticate': error.wwwAuthenticate, 'content-type': 'application/json' }).end(JSON.stringify(error.body()));
 *   }
 * });
 * ```
 */
export function createPrincipalResolver(verifier: Verifier, options: PrincipalResolverOptions = {}): (request: { readonly headers: HeaderSource }) => Promise<Principal> {
  const resolveNow = principalResolverNow(verifier, options);
  return async (request) => resolveNow(request);
}

/**
 * The adapters' resolver: the principal synchronously when the verifier has it at hand (a cached or
 * fast-path token), else a promise; throws what it refuses. Any other {@link Verifier} goes through `verify`.
 */
export function principalResolverNow(verifier: Verifier, options: PrincipalResolverOptions = {}): (request: { readonly headers: HeaderSource }) => Principal | Promise<Principal> {
  const verifyOptions = options.requiredScopes ? { requiredScopes: options.requiredScopes } : undefined;
  const now = (verifier as Partial<VerifierWithNow>)[VERIFY_NOW];
  if (now) return (request) => now(bearerToken(request.headers, verifier.realm), verifyOptions);
  return (request) => verifier.verify(bearerToken(request.headers, verifier.realm), verifyOptions);
}

/**
 * Options of the Express and Fastify adapters.
 *
 * @example
 * ```ts
 * app.use(latchkeyExpress(verifier, { requiredScopes: ['email:read'], property: 'caller' }));
 * ```
 */
export interface AdapterOptions extends PrincipalResolverOptions {
  /** The request property the principal is also set as (default `principal`; `null`: none, use {@link principalOf}). */
  readonly property?: string | null;
}

/**
 * Throws `insufficient_scope` unless the principal holds every scope.
 *
 * @example
 * ```ts
 * checkScopes(principal, ['email:send'], verifier.realm); // throws insufficient_scope
 * ```
 */
export function checkScopes(principal: Principal, scopes: readonly string[], realm: string | undefined): void {
  const missing = scopes.filter((scope) => !principal.scopes.has(scope));
  if (missing.length) throw new VerifyError('insufficient_scope', `the token lacks the scope ${missing.join(' ')}`, { scope: scopes, realm });
}

/**
 * Where the adapters leave the verifier's realm on a request, for the scope guards' 403.
 *
 * @example
 * ```ts
 * const realm = (request as MarkedRequest)[REALM];
 * ```
 */
export const REALM = Symbol('latchkey.realm');
/**
 * Where the adapters leave the principal (also set as `request.principal`, whose type may be another library's).
 *
 * @example
 * ```ts
 * const principal = (request as MarkedRequest)[PRINCIPAL];
 * ```
 */
export const PRINCIPAL = Symbol('latchkey.principal');

/**
 * The requests the adapters mark: the verified principal and the verifier's realm under symbols of their
 * own, and `principal` for convenience.
 *
 * @example
 * ```ts
 * const principal = principalOf(req); // throws when no adapter verified this request
 * ```
 */
export interface MarkedRequest {
  readonly headers: HeaderSource;
  principal?: unknown;
  [PRINCIPAL]?: Principal;
  [REALM]?: string;
}

/**
 * The principal an adapter put on this request (typed, whatever `request.principal` is declared as).
 *
 * @example
 * ```ts
 * app.get('/me', (req, res) => res.json({ sub: principalOf(req).subject }));
 * ```
 */
export function principalOf(request: object): Principal {
  const principal = (request as MarkedRequest)[PRINCIPAL];
  if (!principal) throw new Error('no Latchkey principal on this request: install latchkeyExpress / latchkeyFastify before this handler');
  return principal;
}

/**
 * The scope guard of both adapters: throws the VerifyError to answer with, or returns.
 *
 * @example
 * ```ts
 * guardScopes(request, ['email:send']); // throws the VerifyError to answer with
 * ```
 */
export function guardScopes(request: MarkedRequest, scopes: readonly string[]): void {
  const principal = request[PRINCIPAL];
  if (!principal) throw new VerifyError('missing_token', 'send the access token in an Authorization: Bearer header', { realm: request[REALM] });
  checkScopes(principal, scopes, request[REALM]);
}
