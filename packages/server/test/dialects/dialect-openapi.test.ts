import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';

interface Operation {
  tags?: string[];
  security?: unknown[];
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, unknown>;
}

describe('the OpenAPI document covers the token dialects', () => {
  let server: TestServer;
  let paths: Record<string, Record<string, Operation>>;

  beforeAll(async () => {
    server = await startTestServer();
    paths = ((await (await fetch(`${server.url}/api/openapi.json`)).json()) as { paths: typeof paths }).paths;
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
    expect(paths['/api/auth/v1/authenticate']?.post?.requestBody?.content['application/json']).toMatchObject({ schema: { properties: { clientId: { maxLength: 100 } } } });
  });
});
