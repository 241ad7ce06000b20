import { randomUUID } from 'node:crypto';
import type { User } from '../../src/domain/users/user.js';
import type { TestServer } from './test-server.js';
import { api, logIn } from './portal-client.js';

export const PASSWORD = 'quartz lantern orbit saddle';

export interface LoggedIn {
  readonly user: User;
  readonly cookie: string;
}

/** Signs a new user up through the API (POST /api/v1/users) and logs in. */
export async function userLoggedIn(server: TestServer, name: string): Promise<LoggedIn> {
  const email = `${name.toLowerCase()}.${randomUUID().slice(0, 8)}@example.org`;
  const signedUp = await api(server, 'POST', '/users', { body: { email, password: PASSWORD, name } });
  if (signedUp.status !== 202) throw new Error(`sign-up failed: ${signedUp.status} ${JSON.stringify(signedUp.body)}`);
  const user = await server.runtime.storage.users.getByEmail(email);
  if (!user) throw new Error(`sign-up of ${email} made no user`);
  return { user, cookie: await logIn(server, email, PASSWORD) };
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
