import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type SqlDatabase } from '../../storage/database.js';
import { createSqlStorage } from '../../storage/sql-storage.js';
import { DomainError } from '../errors.js';
import type { Storage } from '../storage.js';
import { authenticateUser, BAD_LOGIN_MESSAGE, type AuthenticateUserDeps } from './authenticate-user.js';
import { createAdmin } from './create-admin.js';
import { listLockouts } from './list-lockouts.js';
import { createLoginThrottle, DEFAULT_THROTTLE_POLICY } from './login-throttle.js';
import { CLI_ACTOR } from '../actor.js';
import { systemRandom } from '../random.js';

describe('authenticating a user by email and password', () => {
  let database: SqlDatabase;
  let storage: Storage;
  let now = Date.UTC(2026, 0, 1);
  const clock = { now: () => now };
  const deferred: Promise<unknown>[] = [];
  let deps: AuthenticateUserDeps;
  const password = 'correct horse battery staple';

  beforeAll(async () => {
    database = await openDatabase('sqlite::memory:');
    await database.migrate();
    storage = createSqlStorage(database);
    deps = { storage, clock, throttle: createLoginThrottle(storage.counters, clock), defer: (_what, task) => void deferred.push(task()) };
    await createAdmin({ storage, clock, random: systemRandom }, { actor: CLI_ACTOR, email: 'Ada@Example.org', password });
  });
  afterAll(() => database.close());

  const failure = (login: { email: string; password: string; address: string }): Promise<DomainError> =>
    authenticateUser(deps, login).then(
      () => {
        throw new Error('expected a failure');
      },
      (e: unknown) => e as DomainError,
    );

  it('returns the user for the right password, whatever the case of the email', async () => {
    const user = await authenticateUser(deps, { email: ' ada@EXAMPLE.org ', password, address: '127.0.0.1' });
    expect(user).toMatchObject({ email: 'ada@example.org', roles: ['admin', 'token_admin', 'pat'] });
  });

  it('fails a wrong password and an unknown email alike, and audits both after answering', async () => {
    const wrong = await failure({ email: 'ada@example.org', password: 'not the password', address: '127.0.0.2' });
    const unknown = await failure({ email: 'nobody@example.org', password, address: '127.0.0.2' });
    const huge = await failure({ email: 'ada@example.org', password: 'x'.repeat(100_000), address: '127.0.0.2' });
    for (const error of [wrong, unknown, huge]) {
      expect(error).toBeInstanceOf(DomainError);
      expect([error.code, error.message]).toEqual(['bad_grant', BAD_LOGIN_MESSAGE]);
    }
    await Promise.all(deferred);
    const events = (await storage.audit.list({ limit: 10 })).filter((e) => e.action === 'user.login_failed');
    expect(events.map((e) => e.details.reason)).toEqual(['wrong_password', 'unknown_email', 'wrong_password']);
    expect(events[1]).toMatchObject({ actor: 'anonymous', address: '127.0.0.2', target: 'email:nobody@example.org' });
  });

  it('refuses an address that keeps guessing one account, lists the lock-out, yet lets the owner in from elsewhere', async () => {
    const guesser = '192.0.2.7';
    let last: DomainError | null = null;
    for (let i = 0; i < DEFAULT_THROTTLE_POLICY.pair.lockAfter; i++) {
      now += 120_000;
      last = await failure({ email: 'ada@example.org', password: `guess ${i}`, address: guesser });
    }
    expect(last?.code).toBe('bad_grant');
    const refused = await failure({ email: 'ada@example.org', password, address: guesser });
    expect(refused.code).toBe('rate_limited');
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    await Promise.all(deferred);
    expect(await listLockouts({ storage, clock }, { actor: CLI_ACTOR })).toEqual([
      { scope: 'pair', account: 'ada@example.org', address: guesser, failures: DEFAULT_THROTTLE_POLICY.pair.lockAfter, lockedAt: now, lockedUntil: now + DEFAULT_THROTTLE_POLICY.pair.lockMs },
    ]);
    expect((await storage.audit.list({ limit: 5 })).some((e) => e.action === 'user.login_locked' && e.address === guesser)).toBe(true);
    expect((await authenticateUser(deps, { email: 'ada@example.org', password, address: '10.1.1.1' })).email).toBe('ada@example.org');
    now += DEFAULT_THROTTLE_POLICY.pair.lockMs;
    expect(await listLockouts({ storage, clock }, { actor: CLI_ACTOR })).toEqual([]);
  });
});
