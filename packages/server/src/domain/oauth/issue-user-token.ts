import type { ResolvedClient } from '../clients/client-directory.js';
import { DomainError } from '../errors.js';
import { signAccessToken } from '../keys/sign-access-token.js';
import type { User } from '../users/user.js';
import { clientCoverage, issuedToken, type ClientTokenRequest, type Coverage, type IssuedToken, type IssueTokenDeps } from './issue-client-token.js';

/** `client_id` of user tokens requested without client authentication (first-party, like the portal). */
export const PASSWORD_CLIENT_ID = 'latchkey-password';
/** `client_id` of tokens from the token-api dialect (`/Token`). */
export const TOKEN_API_CLIENT_ID = 'latchkey-token-api';
/**
 * Client ids this server issues user tokens under without a registered client. Generated client ids
 * always carry an environment and a random suffix, so none of them can collide with these.
 */
export const FIRST_PARTY_CLIENT_IDS: ReadonlySet<string> = new Set([PASSWORD_CLIENT_ID, TOKEN_API_CLIENT_ID]);
/** Lifetime of a user token requested without a client, in seconds. */
export const PASSWORD_TOKEN_TTL = 3_600;

export interface UserTokenRequest extends ClientTokenRequest {
  /** The authenticated client the user signs in through, or null: a first-party token (aud = issuer). */
  readonly client: ResolvedClient | null;
  /** Without a client: the `client_id` claim and lifetime (default: latchkey-password, one hour). */
  readonly firstParty?: { readonly clientId: string; readonly ttlSeconds: number };
  /** The subject's watermark generation this token carries (`gen`): a later one supersedes it. */
  readonly generation?: number;
}

/** What a user token covers; refuses scopes and resources the request may not have (throws). */
export function userCoverage(issuer: string, request: UserTokenRequest): Coverage {
  return request.client ? clientCoverage(request.client, request) : firstPartyCoverage(issuer, request);
}

function firstPartyCoverage(issuer: string, request: UserTokenRequest): Coverage {
  const scopes = request.scope?.split(' ').filter((s) => s !== '') ?? [];
  if (scopes.length > 0) {
    throw new DomainError('scope_not_allowed', `scope ${scopes.join(', ')} needs a client: a token without client authentication carries no service scopes; authenticate as the client that was granted them`);
  }
  const foreign = request.resources.filter((r) => r !== issuer);
  if (foreign.length > 0) {
    throw new DomainError('resource_not_allowed', `resource ${foreign.join(', ')} needs a client: a token without client authentication is only for ${issuer}`);
  }
  return { scope: '', aud: issuer };
}

/**
 * An RFC 9068 access token for a user (RFC 6749 §4.3): `sub` is the user's id and `roles` their roles.
 * Through a client it covers what that client may get (its audiences and scopes, its lifetime); without
 * one it is a first-party token for this server only.
 */
export function issueUserToken(deps: IssueTokenDeps, user: User, request: UserTokenRequest): IssuedToken {
  const { client } = request;
  const { scope, aud } = userCoverage(deps.issuer, request);
  const ttl = client ? client.client.tokenTtl : (request.firstParty?.ttlSeconds ?? PASSWORD_TOKEN_TTL);
  const signed = signAccessToken(deps, { sub: user.id, aud, lifetimeSeconds: ttl }, {
    client_id: client ? client.client.clientId : (request.firstParty?.clientId ?? PASSWORD_CLIENT_ID),
    scope,
    roles: user.roles,
    ...(client ? { env: client.client.env, app: client.client.acronym } : {}),
    ...(request.generation === undefined ? {} : { gen: request.generation }),
  });
  return issuedToken(signed, scope, ttl);
}
