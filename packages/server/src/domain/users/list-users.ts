import type { Storage } from '../storage.js';
import { requireRole, type Actor } from '../actor.js';
import { isRole, ROLES, type User } from './user.js';
import { throwIfInvalid } from '../validation.js';

export interface ListUsersInput {
  readonly actor: Actor;
  readonly limit: number;
  /** The email of the last user of the previous page. */
  readonly after?: string;
  readonly role?: string;
}

export interface UserPage {
  readonly items: readonly User[];
  /** Pass as `after` for the next page; null on the last one. */
  readonly next: string | null;
}

/** Administrators list users by email, optionally only the holders of one role. */
export async function listUsers(deps: { readonly storage: Pick<Storage, 'users'> }, input: ListUsersInput): Promise<UserPage> {
  requireRole(input.actor, 'admin', 'listing users');
  const role = input.role;
  throwIfInvalid(role === undefined || isRole(role) ? [] : [{ field: 'role', message: `unknown role "${role}"; roles are ${ROLES.join(', ')}` }]);
  const items = await deps.storage.users.list({
    limit: input.limit + 1,
    ...(input.after === undefined ? {} : { after: input.after }),
    ...(role === undefined || !isRole(role) ? {} : { role }),
  });
  const page = items.slice(0, input.limit);
  return { items: page, next: items.length > input.limit ? (page[page.length - 1]?.email ?? null) : null };
}
