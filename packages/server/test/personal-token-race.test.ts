import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, postForm, provisionClient, startTestServer, type ProvisionedClient, type TestServer } from './support/test-server.js';
import { storageBackends, type FreshDatabase } from './support/databases.js';
import { api } from './support/portal-client.js';
import { inDays, userWith } from './support/personal-tokens.js';

const backends = await storageBackends('personal token generate race');

describe.each(backends)('concurrent generate calls on one record, on $name', (backend) => {
  describe.skipIf(backend.skip)(backend.name, () => {
    let fresh: FreshDatabase;
    let one: TestServer;
    let two: TestServer;
    let introspector: ProvisionedClient;

    beforeAll(async () => {
      fresh = await backend.fresh();
      one = await startTestServer({ env: { LATCHKEY_DATABASE_URL: fresh.url } });
      two = await startTestServer({ shareWith: one });
      introspector = await provisionClient(one.runtime);
    });
    afterAll(async () => {
      await two?.dispose();
      await one?.dispose();
      await fresh?.drop();
    });

    it('exactly one token survives, across two instances; losers get 409', async () => {
      const ada = await userWith(one, ['pat']);
      for (let round = 0; round < 3; round++) {
        const created = await api<{ id: string }>(one, 'POST', '/me/tokens', { cookie: ada.cookie, body: { name: `race-${round}`, expires_at: inDays(5) } });
        const calls = await Promise.all(
          [one, two, one, two, one, two].map((server) => api<{ token?: string; detail?: string }>(server, 'POST', `/me/tokens/${created.body.id}/generate`, { cookie: ada.cookie })),
        );
        // Every call either got a token or a 409 (it lost the compare-and-set); a call that started after
        // another committed may win too, replacing it: whatever the interleaving, exactly one token is live.
        expect(calls.every((c) => c.status === 200 || c.status === 409)).toBe(true);
        const winners = calls.filter((c) => c.status === 200);
        expect(winners.length).toBeGreaterThanOrEqual(1);
        const active = await Promise.all(
          winners.map(async (w) => {
            const response = await postForm(`${one.url}/oauth/introspect`, { token: w.body.token ?? '' }, { authorization: basic(introspector.clientId, introspector.clientSecret) });
            return ((await response.json()) as { active: boolean }).active;
          }),
        );
        expect(active.filter(Boolean)).toHaveLength(1);
      }
    });
  });
});
