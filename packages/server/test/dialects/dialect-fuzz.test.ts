import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestFrom } from '../support/from-address.js';
import { fuzzRequest } from '../support/http-fuzz.js';
import { provisionClient, startTestServer, type ProvisionedClient, type TestServer } from '../support/test-server.js';
import { provisionUser, USER_PASSWORD } from '../support/users.js';

// Every dialect endpoint, fed generated bodies, content types and headers: never a 5xx, never a hang,
// always a JSON answer (an error document for anything it refuses).
describe('dialect endpoints under generated requests', () => {
  let server: TestServer;
  let client: ProvisionedClient;
  const email = 'fuzz@example.org';

  beforeAll(async () => {
    server = await startTestServer();
    client = await provisionClient(server.runtime, { acronym: 'FUZZ' });
    await provisionUser(server.runtime, { email });
  });
  afterAll(() => server?.dispose());

  const endpoints = () => [
    { path: '/Token', methods: ['GET', 'POST'], fields: ['grant_type', 'username', 'password', 'scope'], known: ['password', 'client_credentials', email, USER_PASSWORD] },
    { path: '/api/auth/v1/authenticate', methods: ['POST'], fields: ['clientId', 'clientID', 'clientSecret'], known: [client.clientId, client.clientSecret, 'x'.repeat(100)] },
    { path: '/api/v1/access-token', methods: ['POST'], fields: ['client_id', 'client_secret', 'scope'], known: [client.clientId, client.clientSecret, 'email:send', 'nope'] },
  ];

  for (const index of [0, 1, 2]) {
    it(`endpoint ${['GET/POST /Token', 'POST /api/auth/v1/authenticate', 'POST /api/v1/access-token'][index]}: always a JSON answer below 500`, async () => {
      const endpoint = endpoints()[index];
      if (!endpoint) throw new Error('no endpoint');
      await fc.assert(
        fc.asyncProperty(fuzzRequest(endpoint), async (request) => {
          const response = await requestFrom('127.0.0.1', `${server.url}${endpoint.path}`, { ...request, timeoutMs: 10_000 });
          expect(response.status, response.body).toBeGreaterThanOrEqual(200);
          expect(response.status, response.body).toBeLessThan(500);
          expect(response.headers['content-type']).toMatch(/^application\/json/);
          const parsed = JSON.parse(response.body) as unknown;
          expect(typeof parsed).toBe('object');
        }),
        { numRuns: 120 },
      );
    });
  }
});
