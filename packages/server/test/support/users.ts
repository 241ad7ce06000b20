import { randomUUID } from 'node:crypto';
import type { Runtime } from '../../src/runtime.js';
import { hashPassword } from '../../src/domain/users/password.js';
import type { Role, User } from '../../src/domain/users/user.js';

export const USER_PASSWORD = 'correct horse battery staple';

/** Creates a user directly in storage (sign-up is the portal's; these tests need just a user). */
export async function provisionUser(runtime: Runtime, input: { email?: string; password?: string; roles?: Role[]; name?: string } = {}): Promise<User> {
  const user: User = {
    id: randomUUID(),
    email: input.email ?? `user-${randomUUID().slice(0, 8)}@example.org`,
    name: input.name ?? 'Test User',
    passwordHash: await hashPassword(input.password ?? USER_PASSWORD),
    roles: input.roles ?? ['pat'],
    createdAt: runtime.clock.now(),
    disabledAt: null,
  };
  await runtime.storage.users.create(user);
  return user;
}

/** The payload of a JWT, unverified (the server's introspection is what vouches for it). */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}
