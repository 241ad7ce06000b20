import type { Clock } from '../clock.js';
import type { Random } from '../random.js';
import type { Storage } from '../storage.js';
import { auditActor, CONFIG_ACTOR, type Actor } from '../actor.js';
import { throwIfInvalid } from '../validation.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from './password.js';
import { EMAIL, normaliseEmail, type User } from './user.js';

export interface AdminAccount {
  readonly email: string;
  readonly password: string;
  readonly name?: string;
}

export interface CreateAdminInput extends AdminAccount {
  readonly actor: Actor;
}

export interface CreateAdminDeps {
  readonly storage: Pick<Storage, 'users' | 'transaction'>;
  readonly clock: Clock;
  readonly random: Random;
}

/** Creates a system administrator (roles admin, token_admin, pat). */
export async function createAdmin(deps: CreateAdminDeps, input: CreateAdminInput): Promise<User> {
  const email = normaliseEmail(input.email);
  throwIfInvalid([
    ...(EMAIL.test(email) ? [] : [{ field: 'email', message: 'expected an email address such as ops@example.org' }]),
    ...(input.password.length >= MIN_PASSWORD_LENGTH
      ? []
      : [{ field: 'password', message: `a password needs at least ${MIN_PASSWORD_LENGTH} characters` }]),
  ]);
  const now = deps.clock.now();
  const user: User = {
    id: deps.random.uuid(),
    email,
    name: input.name?.trim() || email.split('@')[0] || email,
    passwordHash: await hashPassword(input.password),
    roles: ['admin', 'token_admin', 'pat'],
    createdAt: now,
    disabledAt: null,
  };
  await deps.storage.transaction(async (tx) => {
    await tx.users.create(user);
    await tx.audit.append({ at: now, ...auditActor(input.actor), action: 'user.created', target: `user:${user.id}`, details: { email, roles: user.roles } });
  });
  return user;
}

/** On start: create the configured administrator when the system has none yet. */
export async function ensureAdmin(deps: CreateAdminDeps, input: AdminAccount): Promise<User | null> {
  if ((await deps.storage.users.countWithRole('admin')) > 0) return null;
  return createAdmin(deps, { ...input, actor: CONFIG_ACTOR });
}
