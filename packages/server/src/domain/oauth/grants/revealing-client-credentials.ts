import type { ClientCredentials } from '../../clients/authenticate-client.js';
import type { ResolvedClient } from '../../clients/client-directory.js';
import { DomainError, isDomainError } from '../../errors.js';
import type { LoginAttempt, LoginThrottle } from '../../users/login-throttle.js';
import type { FormParameters } from '../form-parameters.js';
import type { IssuedToken } from '../issue-client-token.js';
import { clientCredentialsGrant, type ClientCredentialsDeps } from './client-credentials.js';

export interface RevealingGrantDeps extends ClientCredentialsDeps {
  /** Counts failures per client id and address, and per address. */
  readonly clientThrottle: LoginThrottle;
}

export interface RevealingGrantInput {
  readonly credentials: ClientCredentials;
  /** RFC 6749 §3.3 space-separated scopes; absent: every scope the client was granted. */
  readonly scope?: string | undefined;
  readonly address: string;
}

/**
 * Client credentials for an endpoint whose documented contract tells an unknown client id (`not_found`)
 * from a wrong secret (`bad_credentials`), as the access-token dialect's 404 does. Since that answer
 * reveals which client ids exist, failures are counted per address (and per client id and address) and
 * refused for a while (`rate_limited`) after a few, before any lookup. Past that check it is the
 * client_credentials grant itself.
 *
 * Like the grant, it answers synchronously on the hot path: a cached client, and throttle counters this
 * process read a moment ago (RecentAttemptCounters). Failures are counted before the error is thrown.
 */
export function grantRevealingClientToken(deps: RevealingGrantDeps, input: RevealingGrantInput): IssuedToken | Promise<IssuedToken> {
  const attempt: LoginAttempt = { account: input.credentials.clientId, address: input.address };
  const checked = deps.clientThrottle.check(attempt);
  if (checked !== undefined) return checked.then(() => issueOrCount(deps, input, attempt));
  return issueOrCount(deps, input, attempt);
}

function issueOrCount(deps: RevealingGrantDeps, input: RevealingGrantInput, attempt: LoginAttempt): IssuedToken | Promise<IssuedToken> {
  try {
    const cached = deps.directory.cached(input.credentials.clientId);
    const issued = cached !== undefined ? issueFor(deps, input, cached) : deps.directory.get(input.credentials.clientId).then((resolved) => issueFor(deps, input, resolved));
    return issued instanceof Promise ? issued.catch((error: unknown) => countFailure(deps, attempt, error)) : issued;
  } catch (error) {
    return countFailure(deps, attempt, error);
  }
}

function issueFor(deps: RevealingGrantDeps, input: RevealingGrantInput, resolved: ResolvedClient | null): IssuedToken | Promise<IssuedToken> {
  if (!resolved) throw new DomainError('not_found', `client_id ${input.credentials.clientId} was not found`);
  const params: FormParameters = input.scope === undefined ? {} : { scope: [input.scope] };
  return clientCredentialsGrant.handle(deps, { credentials: input.credentials, params, address: input.address });
}

/** An unknown id or a wrong secret counts against the address before the error is answered. */
async function countFailure(deps: RevealingGrantDeps, attempt: LoginAttempt, error: unknown): Promise<never> {
  if (isDomainError(error) && (error.code === 'not_found' || error.code === 'bad_credentials')) await deps.clientThrottle.fail(attempt);
  throw error;
}
