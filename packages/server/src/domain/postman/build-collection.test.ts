import { describe, expect, it } from 'vitest';
import { buildCollection } from './build-collection.js';
import { sdkSnippet } from '@latchkey/contract';
import { systemRandom } from '../random.js';

const input = {
  acronym: 'BILLING',
  env: 'test',
  issuer: 'https://auth.example.org',
  clientId: 'billing-test-0a1b2c',
  tokenEndpoint: 'https://auth.example.org/oauth/token',
  introspectionEndpoint: 'https://auth.example.org/oauth/introspect',
  services: [
    { key: 'doc-gen', name: 'Documents', scopes: ['doc:write', 'doc:read'], baseUrl: 'https://docs.test.example.org/api', audience: 'https://docs.example.org' },
    { key: 'email', name: 'Email', scopes: [], baseUrl: null, audience: 'urn:latchkey:service:email:test' },
  ],
};

describe('buildCollection', () => {
  it('is a v2.1 collection: token request, introspection, then one call per service with a base URL', () => {
    const c = buildCollection(systemRandom, input);
    expect(c.info.schema).toBe('https://schema.getpostman.com/json/collection/v2.1.0/collection.json');
    expect(c.info.name).toBe('BILLING test (Latchkey)');
    expect(c.item.map((i) => [i.name, i.request.method, i.request.url])).toStrictEqual([
      ['Get an access token', 'POST', '{{token_url}}'],
      ['Introspect the token', 'POST', '{{introspection_url}}'],
      ['Call Documents', 'GET', '{{base_url_doc_gen}}'],
    ]);
    expect(Object.fromEntries(c.variable.map((v) => [v.key, v.value]))).toStrictEqual({
      token_url: 'https://auth.example.org/oauth/token',
      introspection_url: 'https://auth.example.org/oauth/introspect',
      client_id: 'billing-test-0a1b2c',
      client_secret: '',
      access_token: '',
      base_url_doc_gen: 'https://docs.test.example.org/api',
    });
  });

  it('authenticates the token and introspection requests as the client, everything else with {{access_token}}', () => {
    const c = buildCollection(systemRandom, input);
    const [token, introspect, call] = c.item;
    for (const item of [token, introspect]) {
      expect(item?.request.auth).toStrictEqual({
        type: 'basic',
        basic: [
          { key: 'username', value: '{{client_id}}', type: 'string' },
          { key: 'password', value: '{{client_secret}}', type: 'string' },
        ],
      });
    }
    expect(token?.request.body?.urlencoded).toStrictEqual([{ key: 'grant_type', value: 'client_credentials', type: 'text' }]);
    expect(token?.event?.[0]?.script.exec.join('\n')).toContain("pm.collectionVariables.set('access_token', body.access_token)");
    expect(introspect?.request.body?.urlencoded).toStrictEqual([{ key: 'token', value: '{{access_token}}', type: 'text' }]);
    expect(call?.request.auth).toBeUndefined();
    expect(c.auth).toStrictEqual({ type: 'bearer', bearer: [{ key: 'token', value: '{{access_token}}', type: 'string' }] });
  });

  it('describes the same credential through @latchkey/sdk, secret from the environment', () => {
    const { description } = buildCollection(systemRandom, input).info;
    const code = /```ts\n([\s\S]*)\n```/.exec(description)?.[1];
    expect(code).toBe(
      sdkSnippet({
        issuer: 'https://auth.example.org',
        clientId: 'billing-test-0a1b2c',
        scope: 'doc:write doc:read',
        service: { name: 'Documents', audience: 'https://docs.example.org', baseUrl: 'https://docs.test.example.org/api' },
      }),
    );
    expect(code).toContain('clientSecret: process.env.CLIENT_SECRET!');
    expect(code).toContain("audience: 'https://docs.example.org'");
  });

  it('leaves the call and the verifier out of the SDK snippet when no service is granted', () => {
    const { description } = buildCollection(systemRandom, { ...input, services: [] }).info;
    expect(description).toContain("clientId: 'billing-test-0a1b2c'");
    expect(description).not.toContain('scope:');
    expect(description).not.toContain('createVerifier');
  });
});
