import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THROTTLE_POLICY } from '../src/domain/users/login-throttle.js';
import { storageBackends, type FreshDatabase } from './support/databases.js';
import { requestFrom } from './support/from-address.js';
import { REDIS_URL, redisSkip } from './support/redis.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { provisionUser, USER_PASSWORD } from './support/users.js';

// Two instances on one database: every limit and de-duplication must hold across them, counted in the
// database without Redis, and in Redis with it.
const databases = await storageBackends('limits shared across instances');
const skipRedis = await redisSkip('limits shared across instances');
const setups = databases.flatMap((database) => [
  { name: `${database.name}, no Redis`, database, redis: false, skip: database.skip },
  { name: `${database.name} + Redis`, database, redis: true, skip: database.skip || skipRedis },
]);

// A loopback address of its own per run and test: Redis counters outlive a run (they expire by themselves).
const someAddress = (): string => `127.${randomInt(1, 255)}.${randomInt(1, 255)}.${randomInt(2, 255)}`;

const post = (server: TestServer, from: string, path: string, body: unknown) =>
  requestFrom(from, `${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

const signUp = (server: TestServer, from: string, email: string) =>
  post(server, from, '/api/v1/users', { email, name: 'Someone', password: 'tangerine viaduct orchestra' });

describe.each(setups)('limits shared by two instances ($name)', (setup) => {
  let database: FreshDatabase;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    if (setup.skip) return;
    database = await setup.database.fresh();
    a = await startTestServer({
      env: { LATCHKEY_DATABASE_URL: database.url, LATCHKEY_SIGNUPS_PER_HOUR: '2', ...(setup.redis ? { LATCHKEY_REDIS_URL: REDIS_URL } : {}) },
    });
    b = await startTestServer({ shareWith: a });
  });
  afterAll(async () => {
    if (setup.skip) return;
    await b?.dispose();
    await a?.dispose();
    await database?.drop();
  });

  it.skipIf(setup.skip)('caps sign-ups per address per hour across both instances', async () => {
    const from = someAddress();
    const email = (i: number): string => `shared-${i}-${randomInt(1e9)}@example.org`;
    expect((await signUp(a, from, email(1))).status).toBe(202);
    expect((await signUp(b, from, email(2))).status).toBe(202);
    for (const server of [a, b]) {
      const refused = await signUp(server, from, email(3));
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3_000);
    }
    // Another address has an allowance of its own.
    expect((await signUp(b, someAddress(), email(4))).status).toBe(202);
  });

  it.skipIf(setup.skip)('mails the owner of a taken address once per hour, whichever instance the attempts reach', async () => {
    const owner = await provisionUser(a.runtime);
    expect((await signUp(a, someAddress(), owner.email)).status).toBe(202);
    expect((await signUp(b, someAddress(), owner.email)).status).toBe(202);
    expect((await signUp(a, someAddress(), owner.email)).status).toBe(202);
    const mail = (await a.runtime.storage.outbox.list({ limit: 200 })).filter((m) => m.to === owner.email);
    expect(mail.map((m) => m.subject)).toEqual(['Someone tried to sign up with your address']);
  });

  it.skipIf(setup.skip)('counts failed log-ins made at one instance when the other is asked', async () => {
    const owner = await provisionUser(a.runtime);
    const guesser = someAddress();
    const logIn = (server: TestServer, from: string, password: string) => post(server, from, '/api/v1/session', { email: owner.email, password });
    for (let i = 0; i < DEFAULT_THROTTLE_POLICY.pair.free; i++) expect((await logIn(i % 2 === 0 ? a : b, guesser, `guess ${i}`)).status).toBe(401);
    expect((await logIn(b, guesser, USER_PASSWORD)).status).toBe(429);
    expect((await logIn(a, guesser, USER_PASSWORD)).status).toBe(429);
    expect((await logIn(b, '127.0.0.1', USER_PASSWORD)).status).toBe(200);
  });

  it.skipIf(setup.skip)(`keeps the counters ${setup.redis ? 'in Redis, writing none to the database' : 'in the database'}`, async () => {
    const rows = await a.runtime.database.db.selectFrom('attempt_counters').select('key').execute();
    if (setup.redis) expect(rows).toEqual([]);
    else expect(rows.length).toBeGreaterThan(0);
  });
});
