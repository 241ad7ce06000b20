import type { Clock } from '../clock.js';
import type { Storage } from '../storage.js';
import { systemRandom } from '../random.js';
import { DomainError } from '../errors.js';
import type { Lockout } from './lockout.js';
import type { LoginThrottle } from './login-throttle.js';
import { hashPassword, MAX_PASSWORD_LENGTH, verifyPassword } from './password.js';
import { MAX_EMAIL_LENGTH, normaliseEmail, type User } from './user.js';

/**
 * Runs bookkeeping after the answer (audit records, lock-out records), so a failed login costs its
 * caller no database write; the composition root logs a task that fails.
 */
export type Defer = (what: string, task: () => Promise<unknown>) => void;

export interface AuthenticateUserDeps {
  readonly storage: Pick<Storage, 'users' | 'audit' | 'lockouts'>;
  readonly throttle: LoginThrottle;
  readonly clock: Clock;
  readonly defer: Defer;
}

export interface UserLogin {
  readonly email: string;
  readonly password: string;
  /** The client's address as the server sees it (behind a proxy: as the proxy reports it). */
  readonly address: string;
}

export const BAD_LOGIN_MESSAGE = 'the email or password is wrong';

// Verified against when there is no user, so an unknown email costs what a wrong password costs. One per
// process, made once and never compared for real: nothing a test would want to repeat, so not injected.
let dummyHash: Promise<string> | null = null;
function dummy(): Promise<string> {
  dummyHash ??= hashPassword(systemRandom.bytes(24).toString('base64url'));
  return dummyHash;
}

/**
 * Checks a user's email and password. A wrong password, an unknown email and a disabled user all fail
 * alike (`bad_grant`, same message, one argon2 verification each); repeated failures for an account from
 * an address, or from one address overall, are slowed and then refused (`rate_limited` with
 * retryAfterSeconds) before any password is checked. Failures are audited after the answer.
 */
export async function authenticateUser(deps: AuthenticateUserDeps, login: UserLogin): Promise<User> {
  const account = normaliseEmail(login.email).slice(0, MAX_EMAIL_LENGTH);
  const attempt = { account, address: login.address };
  await deps.throttle.check(attempt);
  const user = login.email.length <= MAX_EMAIL_LENGTH ? await deps.storage.users.getByEmail(account) : null;
  const password = login.password.length <= MAX_PASSWORD_LENGTH ? login.password : '';
  const matches = await verifyPassword(user?.passwordHash ?? (await dummy()), password);
  if (user && matches && user.disabledAt === null) {
    await deps.throttle.succeed(attempt);
    return user;
  }
  const lockouts = await deps.throttle.fail(attempt);
  const now = deps.clock.now();
  const reason = !user ? 'unknown_email' : !matches ? 'wrong_password' : 'user_disabled';
  const target = user ? `user:${user.id}` : `email:${account}`;
  deps.defer('auditing a failed login', async () => {
    await deps.storage.audit.append({ at: now, actor: 'anonymous', address: login.address, action: 'user.login_failed', target, details: { email: account, reason } });
    for (const lockout of lockouts) await recordLockout(deps, lockout, target);
  });
  throw new DomainError('bad_grant', BAD_LOGIN_MESSAGE);
}

async function recordLockout(deps: AuthenticateUserDeps, lockout: Lockout, target: string): Promise<void> {
  await deps.storage.lockouts.record(lockout);
  await deps.storage.audit.append({
    at: lockout.lockedAt,
    actor: 'system',
    address: lockout.address,
    action: 'user.login_locked',
    target: lockout.scope === 'pair' ? target : `address:${lockout.address}`,
    details: { scope: lockout.scope, account: lockout.account, failures: lockout.failures, locked_until: new Date(lockout.lockedUntil).toISOString() },
  });
}
