import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionClient, startTestServer, type ProvisionedClient, type TestServer } from '../packages/server/test/support/test-server.js';
import { SDK_PASSES, SDK_RATIOS, measureSingleFlight } from './sdk-bench.mjs';

describe('the SDK scenario', () => {
  let server: TestServer;
  let client: ProvisionedClient;

  beforeAll(async () => {
    server = await startTestServer();
    client = await provisionClient(server.runtime, { acronym: 'SDKBENCH' });
  });
  afterAll(() => server.dispose());

  it('compares passes it runs, against the issue aims', () => {
    const keys = new Set(SDK_PASSES.map((p) => p.key));
    for (const ratio of SDK_RATIOS) {
      expect(keys.has(ratio.of) && keys.has(ratio.over)).toBe(true);
    }
    expect(SDK_RATIOS.map((r) => r.aim)).toEqual([0.9, 1 / 1.2]);
  });

  it('counts the token requests of 10,000 concurrent getToken() calls', async () => {
    const result = await measureSingleFlight(server.url, client);
    expect(result).toMatchObject({ calls: 10_000, tokenRequests: 1, distinctTokens: 1 });
  });
});
