import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THROTTLE_POLICY } from '../src/domain/users/login-throttle.js';
import { requestFrom } from './support/from-address.js';
import { REDIS_URL, redisSkip } from './support/redis.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { provisionUser, USER_PASSWORD } from './support/users.js';

const skip = await redisSkip('login throttle across instances');

describe.skipIf(skip)('the login throttle shared through Redis (LATCHKEY_REDIS_URL)', () => {
  let first: TestServer;
  let second: TestServer;
  // A loopback address of its own per run: Redis counters outlive the run (they expire by themselves).
  const guesser = `127.${randomInt(1, 255)}.${randomInt(1, 255)}.${randomInt(2, 255)}`;

  beforeAll(async () => {
    first = await startTestServer({ env: { LATCHKEY_REDIS_URL: REDIS_URL } });
    second = await startTestServer({ shareWith: first });
  });
  afterAll(async () => {
    await second?.dispose();
    await first?.dispose();
  });

  const attempt = (server: TestServer, username: string, password: string) =>
    requestFrom(guesser, `${server.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username, password }).toString(),
    });

  it('counts failures made at one instance when another is asked', async () => {
    const user = await provisionUser(first.runtime);
    for (let i = 0; i < DEFAULT_THROTTLE_POLICY.pair.free; i++) expect((await attempt(first, user.email, `guess ${i}`)).status).toBe(400);
    const refused = await attempt(second, user.email, USER_PASSWORD);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // The owner, from their own address, is let in at either instance.
    const owner = await requestFrom('127.0.0.1', `${second.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username: user.email, password: USER_PASSWORD }).toString(),
    });
    expect(owner.status).toBe(200);
  });
});
