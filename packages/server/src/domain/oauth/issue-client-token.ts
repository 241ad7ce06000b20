import type { ResolvedClient, Entitlement } from '../clients/client-directory.js';
import { accessTokenTemplate, signAccessToken, signTemplatedAccessToken, type AccessTokenTemplate, type SignAccessTokenDeps, type SignedAccessToken } from '../keys/sign-access-token.js';
import { DomainError } from '../errors.js';

export interface ClientTokenRequest {
  /** RFC 6749 §3.3 space-separated scopes; absent or empty: every scope the client was granted. */
  readonly scope?: string | undefined;
  /** RFC 8707 resource indicators: the audiences to limit the token to. */
  readonly resources: readonly string[];
}

export interface IssuedToken {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  /** Seconds. */
  readonly expiresIn: number;
  readonly scope: string;
  readonly jti: string;
  readonly expiresAt: number;
}

export type IssueTokenDeps = SignAccessTokenDeps;

/** The RFC 6749 §5.1 view of a signed token (`expiresAt` in milliseconds, as the dialects report it). */
export function issuedToken(signed: SignedAccessToken, scope: string, expiresIn: number): IssuedToken {
  return { accessToken: signed.jwt, tokenType: 'Bearer', expiresIn, scope, jti: signed.jti, expiresAt: signed.exp * 1000 };
}

/** Per cached client, worked out once: the scopes it holds and what a token without `scope` covers. */
interface Grants {
  readonly granted: ReadonlySet<string>;
  /** Returned as is for a request without `scope` or `resource` (the common case): no allocation. */
  readonly all: Coverage;
  /** The encoded claims of `all`'s tokens, per issuer (one in practice). */
  readonly templates: Map<string, AccessTokenTemplate>;
}

const grantsOf = new WeakMap<ResolvedClient, Grants>();

function audienceClaim(entitlements: readonly Entitlement[]): string | readonly string[] {
  const audiences = entitlements.map((e) => e.audience);
  return audiences.length === 1 ? (audiences[0] as string) : audiences;
}

function grantsFor(resolved: ResolvedClient): Grants {
  let grants = grantsOf.get(resolved);
  if (!grants) {
    const granted = new Set(resolved.entitlements.flatMap((e) => e.scopes));
    grants = { granted, all: { scope: [...granted].join(' '), aud: audienceClaim(resolved.entitlements) }, templates: new Map() };
    grantsOf.set(resolved, grants);
  }
  return grants;
}

/** What a token covers: its `scope` and `aud` claims. */
export interface Coverage {
  readonly scope: string;
  readonly aud: string | readonly string[];
}

/**
 * The scopes and audiences a token for this client covers: every granted service, those a requested
 * scope belongs to, or only those named by `resource` (RFC 8707). Refuses what the client was not granted.
 */
export function clientCoverage(resolved: ResolvedClient, request: ClientTokenRequest): Coverage {
  if (resolved.entitlements.length === 0) {
    throw new DomainError('scope_not_allowed', 'this client has no active service grants; ask an administrator to grant a service');
  }
  const grants = grantsFor(resolved);
  let entitlements: readonly Entitlement[] = resolved.entitlements;
  let granted = grants.granted;
  if (request.resources.length > 0) {
    const unknown = request.resources.filter((r) => !entitlements.some((e) => e.audience === r));
    if (unknown.length > 0) {
      throw new DomainError('resource_not_allowed', `this client has no access to resource ${unknown.join(', ')}; its resources are: ${entitlements.map((e) => e.audience).join(', ') || '(none)'}`);
    }
    entitlements = entitlements.filter((e) => request.resources.includes(e.audience));
    granted = new Set(entitlements.flatMap((e) => e.scopes));
  }
  const requested = request.scope ? [...new Set(request.scope.split(' ').filter((s) => s !== ''))] : [];
  if (requested.length > 0) {
    const refused = requested.filter((s) => !granted.has(s));
    if (refused.length > 0) {
      throw new DomainError('scope_not_allowed', `scope ${refused.join(', ')} is not granted to this client${request.resources.length > 0 ? ' for the requested resource' : ''}; granted: ${[...granted].join(' ') || '(none)'}`);
    }
    if (request.resources.length === 0) entitlements = entitlements.filter((e) => e.scopes.some((s) => requested.includes(s)));
    return { scope: requested.join(' '), aud: audienceClaim(entitlements) };
  }
  if (request.resources.length > 0) return { scope: [...granted].join(' '), aud: audienceClaim(entitlements) };
  return grants.all;
}

/**
 * RFC 6749 §4.4 client credentials: an RFC 9068 JWT for the client's environment, covering what
 * `clientCoverage` works out.
 */
export function issueClientToken(deps: IssueTokenDeps, resolved: ResolvedClient, request: ClientTokenRequest): IssuedToken {
  const { client } = resolved;
  const coverage = clientCoverage(resolved, request);
  const { scope, aud } = coverage;
  const subject = { sub: client.clientId, aud };
  const claims = { client_id: client.clientId, scope, env: client.env, app: client.acronym };
  // A token covering everything the client holds (the common request) is built from the cached client's
  // template; a narrower one from scratch.
  const grants = grantsFor(resolved);
  if (coverage === grants.all) {
    let template = grants.templates.get(deps.issuer);
    if (template === undefined) {
      template = accessTokenTemplate(deps.issuer, subject, claims);
      grants.templates.set(deps.issuer, template);
    }
    return issuedToken(signTemplatedAccessToken(deps, template, client.tokenTtl), scope, client.tokenTtl);
  }
  return issuedToken(signAccessToken(deps, { ...subject, lifetimeSeconds: client.tokenTtl }, claims), scope, client.tokenTtl);
}
