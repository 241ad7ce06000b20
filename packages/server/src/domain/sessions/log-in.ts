import { DomainError } from '../errors.js';
import { hashPassword, verifyPassword } from '../users/password.js';
import { normaliseEmail, type User } from '../users/user.js';
import { startSession, type SessionDeps, type StartedSession } from './start-session.js';

export interface LogInInput {
  readonly email: string;
  readonly password: string;
  readonly address: string | null;
  readonly userAgent: string | null;
}

let dummyHash: Promise<string> | null = null;

// TODO(issue 3): switch to authenticateUser (login throttle) once it is on main.
async function checkPassword(deps: SessionDeps, email: string, password: string): Promise<User | null> {
  const user = await deps.storage.users.getByEmail(email);
  // An unknown email costs the same argon2 work as a known one, so timing does not tell them apart.
  dummyHash ??= hashPassword('latchkey-timing-equaliser');
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash), password);
  return user && ok && user.disabledAt === null ? user : null;
}

/**
 * Log-in with email and password: a new session, or `bad_grant` (wrong email and wrong password look the
 * same). Failures are audited with the address they came from.
 */
export async function logIn(deps: SessionDeps, input: LogInInput): Promise<StartedSession & { user: User }> {
  const email = normaliseEmail(input.email);
  const user = await checkPassword(deps, email, input.password);
  const now = deps.clock.now();
  if (!user) {
    await deps.storage.audit.append({ at: now, actor: `email:${email}`, address: input.address, action: 'session.login_failed', target: `email:${email}`, details: {} });
    throw new DomainError('bad_grant', 'the email or the password is wrong');
  }
  return deps.storage.transaction(async (tx) => {
    const started = await startSession(deps, tx, { user, address: input.address, userAgent: input.userAgent });
    await tx.audit.append({ at: now, actor: `user:${user.id}`, address: input.address, action: 'session.started', target: `user:${user.id}`, details: {} });
    return { ...started, user };
  });
}
