import type { Clock } from '../clock.js';
import type { Random } from '../random.js';
import type { Storage } from '../storage.js';
import { DomainError, isDomainError, type FieldIssue } from '../errors.js';
import { throwIfInvalid } from '../validation.js';
import { enqueueMail } from '../mail/enqueue-mail.js';
import { renderMail } from '../mail/render-mail.js';
import type { AttemptWindow } from './attempt-window.js';
import { isCommonPassword } from './common-passwords.js';
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './password.js';
import { EMAIL, MAX_EMAIL_LENGTH, normaliseEmail, type User } from './user.js';

export interface SignUpDeps {
  readonly storage: Pick<Storage, 'users' | 'transaction'>;
  readonly clock: Clock;
  readonly random: Random;
  /** Base of links in mail (LATCHKEY_ISSUER). */
  readonly issuer: string;
  /** Sign-ups per address, and "someone used your address" mails per existing account, shared by every process. */
  readonly signUps: AttemptWindow;
}

export interface SignUpInput {
  readonly email: string;
  readonly name: string;
  readonly password: string;
  readonly address: string;
}

function validate(email: string, name: string, password: string): void {
  const issues: FieldIssue[] = [];
  if (!EMAIL.test(email) || email.length > MAX_EMAIL_LENGTH) issues.push({ field: 'email', message: 'expected an email address such as ada@example.org' });
  if (name === '' || name.length > 100) issues.push({ field: 'name', message: 'a name is 1 to 100 characters' });
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    issues.push({ field: 'password', message: `a password is ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters; a few unrelated words make a good one` });
  } else if (isCommonPassword(password, [email, name])) {
    issues.push({ field: 'password', message: 'this password is too common or too easy to guess (or built on your email or name): choose another, such as a few unrelated words' });
  }
  throwIfInvalid(issues);
}

/**
 * Sign-up. The answer is the same whether or not the email has an account already (no enumeration):
 * a new address gets an account without roles, a taken one gets nothing but a mail to its owner saying
 * someone tried (at most once per window, so nobody can flood an inbox through this). Both take one
 * argon2 hash, so timing does not tell either.
 */
export async function signUp(deps: SignUpDeps, input: SignUpInput): Promise<{ readonly email: string }> {
  const retryAfter = await deps.signUps.take(`address:${input.address}`);
  if (retryAfter !== null) {
    throw new DomainError('rate_limited', `too many sign-ups from your address; try again in ${retryAfter} seconds`, { retryAfterSeconds: retryAfter });
  }
  const email = normaliseEmail(input.email);
  const name = input.name.trim();
  validate(email, name, input.password);
  const now = deps.clock.now();
  const user: User = { id: deps.random.uuid(), email, name, passwordHash: await hashPassword(input.password), roles: [], createdAt: now, disabledAt: null };
  try {
    await deps.storage.transaction(async (tx) => {
      await tx.users.create(user);
      await tx.audit.append({ at: now, actor: `user:${user.id}`, address: input.address, action: 'user.signed_up', target: `user:${user.id}`, details: { email } });
    });
  } catch (error) {
    if (!isDomainError(error) || error.code !== 'conflict') throw error;
    await tellOwner(deps, email, input.address, now);
  }
  return { email };
}

async function tellOwner(deps: SignUpDeps, email: string, address: string, now: number): Promise<void> {
  const owner = await deps.storage.users.getByEmail(email);
  if (!owner) return;
  const notify = (await deps.signUps.take(`owner:${owner.id}`, 1)) === null;
  await deps.storage.transaction(async (tx) => {
    await tx.audit.append({ at: now, actor: 'anonymous', address, action: 'user.sign_up_existing', target: `user:${owner.id}`, details: { notified: notify } });
    if (!notify) return;
    const body = renderMail({
      greeting: `Hello ${owner.name},`,
      paragraphs: [
        `Someone (from ${address}) tried to create a Latchkey account with your address, ${owner.email}. You have an account already, so nothing was created.`,
        'If it was you: log in with your password. If it was not, you need not do anything.',
      ],
      link: { label: 'Log in to Latchkey', url: `${deps.issuer}/login` },
      footer: 'You receive this because an account exists for this address.',
    });
    await enqueueMail(tx, { to: owner.email, subject: 'Someone tried to sign up with your address', ...body, kind: 'user.sign_up_existing' }, { now, random: deps.random });
  });
}
