import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { resolveRef } from '../support/openapi.js';

interface Operation {
  tags?: string[];
  security?: unknown[];
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, unknown>;
}

describe('the OpenAPI document covers the token dialects', () => {
  let server: TestServer;
  let paths: Record<string, Record<string, Operation>>;
  let doc: { paths: typeof paths; components: { schemas: Record<string, unknown> } };

  beforeAll(async () => {
    server = await startTestServer();
    doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as typeof doc;
    paths = doc.paths;
  });
  afterAll(() => server?.dispose());

  it('describes each dialect endpoint with its request body, responses and no portal authentication', () => {
    const operations = [paths['/Token']?.get, paths['/Token']?.post, paths['/api/auth/v1/authenticate']?.post, paths['/api/v1/access-token']?.post];
    for (const operation of operations) {
      expect(operation?.tags).toEqual(['token dialects']);
      expect(operation?.security).toEqual([]);
      expect(Object.keys(operation?.responses ?? {})).toContain('200');
    }
    expect(Object.keys(paths['/Token']?.post?.requestBody?.content ?? {})).toEqual(['application/x-www-form-urlencoded', 'application/json']);
    expect(Object.keys(paths['/api/v1/access-token']?.post?.responses ?? {})).toEqual(expect.arrayContaining(['400', '401', '404', '412', '429', '503']));
    const authenticate = paths['/api/auth/v1/authenticate']?.post?.requestBody?.content['application/json'] as { schema?: { $ref: string } } | undefined;
    expect(resolveRef(doc, authenticate?.schema)).toMatchObject({ properties: { clientId: { maxLength: 100 } } });
  });
});

describe('LATCHKEY_DIALECTS', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { LATCHKEY_DIALECTS: 'oauth2' } });
  });
  afterAll(() => server?.dispose());

  it('mounts only the dialects it names', async () => {
    expect((await fetch(`${server.url}/Token`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${server.url}/api/auth/v1/authenticate`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${server.url}/api/v1/access-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(404);
    expect((await fetch(`${server.url}/oauth/token`, { method: 'POST' })).status).not.toBe(404);
  });
});
