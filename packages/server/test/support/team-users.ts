import { randomUUID } from 'node:crypto';
import { hashPassword } from '../../src/domain/users/password.js';
import type { User } from '../../src/domain/users/user.js';
import type { TestServer } from './test-server.js';
import { logIn } from './portal-client.js';

export const PASSWORD = 'a long enough test password';

export interface LoggedIn {
  readonly user: User;
  readonly cookie: string;
}

/** Creates a user straight in the server's storage (sign-up is another route's business) and logs in. */
export async function userLoggedIn(server: TestServer, name: string): Promise<LoggedIn> {
  const user: User = {
    id: randomUUID(),
    email: `${name.toLowerCase()}.${randomUUID().slice(0, 8)}@example.org`,
    name,
    passwordHash: await hashPassword(PASSWORD),
    roles: [],
    createdAt: Date.now(),
    disabledAt: null,
  };
  await server.runtime.storage.users.create(user);
  return { user, cookie: await logIn(server, user.email, PASSWORD) };
}

/** Messages queued for an address, newest first. */
export async function mailTo(server: TestServer, email: string): Promise<{ subject: string; text: string; html: string }[]> {
  return (await server.runtime.storage.outbox.list({ limit: 200 })).filter((m) => m.to === email);
}

/** The token in the newest invitation link mailed to the address. */
export async function invitationTokenFor(server: TestServer, email: string): Promise<string> {
  const [mail] = await mailTo(server, email);
  const token = /\/invitations\/(lki_\w+)/.exec(mail?.text ?? '')?.[1];
  if (!token) throw new Error(`no invitation mailed to ${email}`);
  return token;
}
