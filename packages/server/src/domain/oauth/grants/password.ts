import { authenticateClient, type AuthenticateClientDeps } from '../../clients/authenticate-client.js';
import type { Storage } from '../../storage.js';
import type { WatermarkCache } from '../../tokens/watermark-cache.js';
import { authenticateUser, type AuthenticateUserDeps, type UserLogin } from '../../users/authenticate-user.js';
import type { User } from '../../users/user.js';
import { required, resourceIndicators, single } from '../form-parameters.js';
import type { IssuedToken, IssueTokenDeps } from '../issue-client-token.js';
import { issueUserToken, userCoverage, type UserTokenRequest } from '../issue-user-token.js';
import type { Grant } from './grant.js';

export interface PasswordGrantDeps extends IssueTokenDeps {
  readonly login: AuthenticateUserDeps;
  readonly storage: Pick<Storage, 'watermarks'>;
  readonly watermarks: WatermarkCache;
}

export interface PasswordGrantInput extends UserLogin, Omit<UserTokenRequest, 'generation'> {
  /** Discard the user's earlier superseding tokens (the token-api dialect's rule): move their watermark. */
  readonly supersede?: boolean;
}

export interface PasswordGrant {
  readonly user: User;
  readonly token: IssuedToken;
}

/**
 * RFC 6749 §4.3 resource owner password credentials: the user's email and password (throttled, see
 * authenticateUser) for a user token. With `supersede`, the user's watermark moves first (one write,
 * the one this behaviour needs) and the token carries the new generation, so every earlier one is
 * inactive at introspection from now on, even one issued in the same second.
 */
export async function grantPasswordToken(deps: PasswordGrantDeps, input: PasswordGrantInput): Promise<PasswordGrant> {
  const user = await authenticateUser(deps.login, input);
  // Refuse a bad scope or resource before moving the watermark: a failed request discards nothing.
  userCoverage(deps.issuer, input);
  let generation: number | undefined;
  if (input.supersede) {
    generation = await deps.storage.watermarks.advance(user.id, deps.clock.now());
    deps.watermarks.raise(user.id, generation);
  }
  return { user, token: issueUserToken(deps, user, { ...input, ...(generation === undefined ? {} : { generation }) }) };
}

/**
 * `grant_type=password` for portal users. Client authentication is optional: without it the token is
 * first-party (aud = issuer, one hour); through a client it covers that client's audiences.
 */
export const passwordGrant: Grant<PasswordGrantDeps & AuthenticateClientDeps> = {
  grantType: 'password',
  clientAuthentication: 'optional',
  async handle(deps, { credentials, params, address }) {
    const client = credentials === null ? null : await authenticateClient(deps, credentials);
    const login = { email: required(params, 'username'), password: required(params, 'password'), address };
    return (await grantPasswordToken(deps, { ...login, client, scope: single(params, 'scope'), resources: resourceIndicators(params) })).token;
  },
};
