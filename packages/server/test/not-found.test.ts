import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.js';

// An unknown route answers in the wire format of the prefix it falls under, so a client only ever parses
// the one it speaks; the portal's pages still get the page.
describe('unknown routes, over HTTP', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ env: { LATCHKEY_DIALECTS: 'oauth2,token-api,authenticate,access-token' } });
  });
  afterAll(() => server?.dispose());

  const call = async (method: string, path: string): Promise<{ status: number; type: string; cache: string | null; body: unknown }> => {
    const response = await fetch(`${server.url}${path}`, { method });
    return { status: response.status, type: response.headers.get('content-type') ?? '', cache: response.headers.get('cache-control'), body: await response.json() };
  };

  it('under /oauth/: an RFC 6749 error, not cached', async () => {
    for (const [method, path] of [['POST', '/oauth/nope'], ['GET', '/oauth/token'], ['GET', '/oauth/']] as const) {
      const answer = await call(method, `${path}?token=secret`);
      expect(answer, `${method} ${path}`).toStrictEqual({
        status: 404,
        type: expect.stringMatching(/^application\/json/),
        cache: 'no-store',
        body: { error: 'invalid_request', error_description: `no route ${method} ${path}` },
      });
    }
  });

  it('under /api/, inside the portal API or not: problem+json', async () => {
    for (const path of ['/api/v1/nope', '/api/v2/applications', '/api/nope', '/api/auth/v1/nope']) {
      const answer = await call('GET', path);
      expect(answer.status, path).toBe(404);
      expect(answer.type, path).toMatch(/^application\/problem\+json/);
      expect(answer.body, path).toMatchObject({ type: 'urn:latchkey:problem:not_found', title: 'Not found', status: 404, detail: expect.stringContaining(`no route GET ${path}`) });
    }
  });

  it('anywhere else: problem+json', async () => {
    for (const path of ['/nowhere', '/.well-known/nope', '/Token/extra', '/oauth']) {
      const answer = await call('DELETE', path);
      expect(answer, path).toMatchObject({ status: 404, type: expect.stringMatching(/^application\/problem\+json/) });
      expect(answer.body, path).toStrictEqual({ type: 'urn:latchkey:problem:not_found', title: 'Not found', status: 404, detail: `no route DELETE ${path}` });
    }
  });

  it('a portal file that does not exist: problem+json saying to reload', async () => {
    const answer = await call('GET', '/assets/index-0000000.js');
    expect(answer).toMatchObject({ status: 404, type: expect.stringMatching(/^application\/problem\+json/) });
    expect(answer.body).toStrictEqual({ type: 'urn:latchkey:problem:not_found', title: 'Not found', status: 404, detail: expect.stringContaining('reload the page') });
  });

  it("still serves the portal's page on its client-side routes", async () => {
    for (const path of ['/', '/login', '/applications/NOPE', '/admin/users']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toMatch(/^text\/html/);
      await response.body?.cancel();
    }
  });
});
