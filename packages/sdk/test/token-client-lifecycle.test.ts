import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeJwt } from 'jose';
import type { RunningServer } from '../../server/src/serve.js';
import { provisionClient, startTestServer, type ProvisionedClient, type TestServer } from '../../server/test/support/test-server.js';
import { createTokenClient } from '../src/index.js';
import { countingFetch, restartInPlace } from './support.js';

const expMs = (token: string): number => (decodeJwt(token).exp ?? 0) * 1000;

describe('the token client through token expiry and a server restart', () => {
  let server: TestServer;
  let restarted: RunningServer | null = null;
  let client: ProvisionedClient;

  beforeAll(async () => {
    server = await startTestServer();
    // The shortest lifetime a client may have (CLIENT_TOKEN_TTL.min), so expiry comes within the test.
    client = await provisionClient(server.runtime, { acronym: 'SDKLIFE', tokenTtl: 30 });
  });
  afterAll(async () => {
    await restarted?.close();
    await server.dispose();
  });

  it('refreshes ahead of expiry: every call gets an unexpired token at once, one refresh per lifetime', { timeout: 60_000 }, async () => {
    const counter = countingFetch();
    const tokens = createTokenClient({ issuer: server.url, ...client, fetch: counter.fetch });
    const first = await tokens.getToken();
    const seen = new Set([first]);
    let servedOldWhileRefreshing = false;
    while (Date.now() < expMs(first) + 1_500) {
      const requestsBefore = counter.count('/oauth/token');
      const token = await tokens.getToken();
      if (counter.count('/oauth/token') > requestsBefore && token === first) servedOldWhileRefreshing = true;
      expect(expMs(token)).toBeGreaterThan(Date.now());
      seen.add(token);
      await sleep(200);
    }
    expect(seen.size).toBe(2);
    expect(counter.count('/oauth/token')).toBe(2);
    // The refresh ran in the background: the call that started it was answered with the current token.
    expect(servedOldWhileRefreshing).toBe(true);
    tokens.close();
  });

  it('no getToken() fails through a restart on the same port and data directory', async () => {
    const retry = { attempts: 12, baseDelayMs: 100, maxDelayMs: 500 };
    const cached = createTokenClient({ issuer: server.url, ...client, retry });
    await cached.getToken();
    const cold = createTokenClient({ issuer: server.url, ...client, retry });
    let coldToken: Promise<string> | null = null;
    const failures: unknown[] = [];
    restarted = await restartInPlace(server, async () => {
      // Latchkey is down: the cached client still answers, the cold one keeps trying.
      coldToken = cold.getToken();
      coldToken.catch((error: unknown) => failures.push(error));
      for (let i = 0; i < 5; i += 1) {
        await cached.getToken().catch((error: unknown) => failures.push(error));
        await sleep(100);
      }
    });
    expect(await coldToken!).toMatch(/^ey/);
    expect(decodeJwt(await coldToken!).iss).toBe(server.url);
    expect(failures).toEqual([]);
    cached.close();
    cold.close();
  });
});
