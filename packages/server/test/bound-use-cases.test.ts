import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpDepsOf } from '../src/main.js';
import { provisionClient, startTestServer, type TestServer } from './support/test-server.js';

// What the composition root hands the HTTP layer: use cases bound once, grants included.
describe('the use cases as main.ts binds them', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.dispose());

  it("keeps a cached client's token synchronous through the bound grant, bound once", async () => {
    const client = await provisionClient(server.runtime);
    const { useCases } = httpDepsOf(server.runtime);
    const grant = useCases.tokenGrant('client_credentials');
    expect(useCases.tokenGrant('client_credentials')).toBe(grant);
    const input = { credentials: client, params: {}, address: '127.0.0.1' };
    await grant.handle(input);
    expect(grant.handle(input)).not.toBeInstanceOf(Promise);
  });

  it('refuses a grant type the token endpoint does not support, naming the supported ones', () => {
    const { useCases } = httpDepsOf(server.runtime);
    expect(() => useCases.tokenGrant('implicit')).toThrow(expect.objectContaining({ code: 'unsupported_grant', message: expect.stringContaining('client_credentials') }));
  });
});
