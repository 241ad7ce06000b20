import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Storage } from '../storage.js';
import type { Actor } from '../audit/audit-event.js';
import { throwIfInvalid } from '../catalog/service.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from './password.js';
import { EMAIL, normaliseEmail, type User } from './user.js';

export interface CreateAdminInput {
  readonly email: string;
  readonly password: string;
  readonly name?: string;
}

/** Creates a system administrator (roles admin, token_admin, pat). */
export async function createAdmin(
  deps: { readonly storage: Storage; readonly clock: Clock },
  actor: Actor,
  input: CreateAdminInput,
): Promise<User> {
  const email = normaliseEmail(input.email);
  throwIfInvalid([
    ...(EMAIL.test(email) ? [] : [{ field: 'email', message: 'expected an email address such as ops@example.org' }]),
    ...(input.password.length >= MIN_PASSWORD_LENGTH
      ? []
      : [{ field: 'password', message: `a password needs at least ${MIN_PASSWORD_LENGTH} characters` }]),
  ]);
  const now = deps.clock.now();
  const user: User = {
    id: randomUUID(),
    email,
    name: input.name?.trim() || email.split('@')[0] || email,
    passwordHash: await hashPassword(input.password),
    roles: ['admin', 'token_admin', 'pat'],
    createdAt: now,
    disabledAt: null,
  };
  await deps.storage.transaction(async (tx) => {
    await tx.users.create(user);
    await tx.audit.append({ at: now, ...actor, action: 'user.created', target: `user:${user.id}`, details: { email, roles: user.roles } });
  });
  return user;
}

/** On start: create the configured administrator when the system has none yet. */
export async function ensureAdmin(
  deps: { readonly storage: Storage; readonly clock: Clock },
  input: CreateAdminInput,
): Promise<User | null> {
  if ((await deps.storage.users.countWithRole('admin')) > 0) return null;
  return createAdmin(deps, { actor: 'config', address: null }, input);
}
