import { authenticateUser, type AuthenticateUserDeps } from '../users/authenticate-user.js';
import type { User } from '../users/user.js';
import { startSession, type SessionDeps, type StartedSession } from './start-session.js';

export interface LogInInput {
  readonly email: string;
  readonly password: string;
  readonly address: string;
  readonly userAgent: string | null;
}

/**
 * Log-in with email and password: a new session. Checking the password is `authenticateUser`'s, with
 * the login throttle shared with the password grant: a wrong email and a wrong password are the same
 * `bad_grant`, repeated failures a `rate_limited` with Retry-After, and failures are audited there.
 */
export async function logIn(
  deps: SessionDeps & { readonly login: AuthenticateUserDeps },
  input: LogInInput,
): Promise<StartedSession & { user: User }> {
  const user = await authenticateUser(deps.login, { email: input.email, password: input.password, address: input.address });
  return deps.storage.transaction(async (tx) => {
    const started = await startSession(deps, tx, { user, address: input.address, userAgent: input.userAgent });
    await tx.audit.append({ at: deps.clock.now(), actor: `user:${user.id}`, address: input.address, action: 'session.started', target: `user:${user.id}`, details: {} });
    return { ...started, user };
  });
}
