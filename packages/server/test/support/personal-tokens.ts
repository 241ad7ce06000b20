import { CLI_ACTOR } from '../../src/domain/actor.js';
import { createAdmin } from '../../src/domain/users/create-admin.js';
import type { Role } from '../../src/domain/users/user.js';
import type { TestServer } from './test-server.js';
import { api, logIn } from './portal-client.js';

export const PASSWORD = 'correct horse battery staple';
let n = 0;

export interface TestUser {
  readonly id: string;
  readonly email: string;
  readonly cookie: string;
}

/** A user with exactly `roles`, made in-process, logged in (session cookie). */
export async function userWith(server: TestServer, roles: Role[]): Promise<TestUser> {
  const email = `user${++n}-${Math.random().toString(36).slice(2, 8)}@example.org`;
  const { storage } = server.runtime;
  const user = await createAdmin(server.runtime, { actor: CLI_ACTOR, email, password: PASSWORD, name: `User ${n}` });
  await storage.users.setRoles(user.id, roles);
  return { id: user.id, email, cookie: await logIn(server, email, PASSWORD) };
}

export const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString();

export interface TokenRecord {
  id: string;
  name: string;
  scopes: string[];
  status: string;
  last_used_at: string | null;
  last_used_from: string | null;
  user: { id: string; email: string | null };
}

/**
 * Makes the user a member of the application (in-process, as if an invitation was accepted): a personal
 * token may carry only the service scopes its owner's applications hold.
 */
export async function joinApplication(server: TestServer, user: TestUser, acronym: string): Promise<void> {
  const { storage, clock } = server.runtime;
  const application = await storage.applications.getByAcronym(acronym);
  if (!application) throw new Error(`no application ${acronym}`);
  await storage.members.add({ applicationId: application.id, userId: user.id, role: 'member', joinedAt: clock.now() });
}

/** Creates a record and generates its JWT as `owner` (session). */
export async function personalToken(server: TestServer, owner: TestUser, body: Record<string, unknown> = {}): Promise<{ record: TokenRecord; token: string }> {
  const created = await api<TokenRecord>(server, 'POST', '/me/tokens', { cookie: owner.cookie, body: { name: `t-${Math.random().toString(36).slice(2, 8)}`, expires_at: inDays(30), ...body } });
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${JSON.stringify(created.body)}`);
  const generated = await api<{ token: string }>(server, 'POST', `/me/tokens/${created.body.id}/generate`, { cookie: owner.cookie });
  if (generated.status !== 200) throw new Error(`generate failed: ${generated.status} ${JSON.stringify(generated.body)}`);
  return { record: created.body, token: generated.body.token };
}
