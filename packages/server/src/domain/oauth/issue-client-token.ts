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

/**
 * Per list of entitlements, worked out once: the scopes it holds, what a token without `scope` covers, and
 * what each `scope` string asked for before covers. The client directory shares one entitlement list
 * between clients with the same grants in the same environment, so these are shared too.
 */
interface Grants {
  readonly granted: ReadonlySet<string>;
  /** Returned as is for a request without `scope` or `resource` (the common case): no allocation. */
  readonly all: Coverage;
  /** Coverage per requested `scope` string (without `resource`), for the few clients send again and again. */
  readonly byScope: Map<string, Coverage>;
}

// Clients ask for one scope string, or a few: more than this are worked out each time.
const REMEMBERED_SCOPE_STRINGS = 8;

const grantsOf = new WeakMap<readonly Entitlement[], Grants>();

/** Per cached client, the encoded claims of its tokens for each remembered coverage it asked for (most: one). */
const templatesOf = new WeakMap<ResolvedClient, { coverage: Coverage; template: AccessTokenTemplate }[]>();

function audienceClaim(entitlements: readonly Entitlement[]): string | readonly string[] {
  const audiences = entitlements.map((e) => e.audience);
  return audiences.length === 1 ? (audiences[0] as string) : audiences;
}

function grantsFor(resolved: ResolvedClient): Grants {
  let grants = grantsOf.get(resolved.entitlements);
  if (!grants) {
    const granted = new Set(resolved.entitlements.flatMap((e) => e.scopes));
    grants = { granted, all: { scope: [...granted].join(' '), aud: audienceClaim(resolved.entitlements) }, byScope: new Map() };
    grantsOf.set(resolved.entitlements, grants);
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
 * The same answer object for the same request of the same cached client: no scope request, or a `scope`
 * string it sent before (without `resource`).
 */
export function clientCoverage(resolved: ResolvedClient, request: ClientTokenRequest): Coverage {
  if (resolved.entitlements.length === 0) {
    throw new DomainError('scope_not_allowed', 'this client has no active service grants; ask an administrator to grant a service');
  }
  const grants = grantsFor(resolved);
  if (request.resources.length > 0) return workedOut(resolved, grants, request);
  if (!request.scope) return grants.all;
  let coverage = grants.byScope.get(request.scope);
  if (coverage === undefined) {
    coverage = workedOut(resolved, grants, request);
    if (grants.byScope.size < REMEMBERED_SCOPE_STRINGS) grants.byScope.set(request.scope, coverage);
  }
  return coverage;
}

function workedOut(resolved: ResolvedClient, grants: Grants, request: ClientTokenRequest): Coverage {
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
  // A remembered coverage (the common requests) has its token template; any other is built from scratch.
  const grants = grantsFor(resolved);
  const remembered = coverage === grants.all || (request.scope !== undefined && grants.byScope.get(request.scope) === coverage);
  if (!remembered) return issuedToken(signAccessToken(deps, { ...subject, lifetimeSeconds: client.tokenTtl }, claims), scope, client.tokenTtl);
  let templates = templatesOf.get(resolved);
  if (templates === undefined) templatesOf.set(resolved, (templates = []));
  let slot: { coverage: Coverage; template: AccessTokenTemplate } | undefined;
  for (const t of templates) if (t.coverage === coverage) slot = t;
  if (slot === undefined) templates.push((slot = { coverage, template: accessTokenTemplate(deps.issuer, subject, claims) }));
  else if (slot.template.issuer !== deps.issuer) slot.template = accessTokenTemplate(deps.issuer, subject, claims);
  const { template } = slot;
  return issuedToken(signTemplatedAccessToken(deps, template, client.tokenTtl), scope, client.tokenTtl);
}
