import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/domain/users/user.js';
import { requestFrom, type PlainResponse } from '../support/from-address.js';
import { basic, postForm, provisionClient, startTestServer, type ProvisionedClient, type TestServer } from '../support/test-server.js';
import { claimsOf, provisionUser, USER_PASSWORD } from '../support/users.js';

interface TokenApiBody {
  access_token: string;
  token_type: string;
  expires_in: number;
  userName: string;
  userId: string;
  role: string;
  '.issued': string;
  '.expires': string;
}

describe('the token-api dialect: GET/POST /Token', () => {
  let server: TestServer;
  let second: TestServer;
  let user: User;
  let resourceServer: ProvisionedClient;

  /** The dialect's own documented example: GET, mislabelled JSON, a urlencoded body. */
  const documentedExample = (target = server, password = USER_PASSWORD): Promise<PlainResponse> =>
    requestFrom('127.0.0.1', `${target.url}/Token`, {
      method: 'GET',
      headers: { 'Content-Type': 'application/json' },
      body: new URLSearchParams({ grant_type: 'password', username: user.email, password }).toString(),
    });
  const tokenOf = (response: PlainResponse): string => (JSON.parse(response.body) as TokenApiBody).access_token;
  const active = async (token: string, target = server): Promise<boolean> => {
    const response = await postForm(`${target.url}/oauth/introspect`, { token }, { authorization: basic(resourceServer.clientId, resourceServer.clientSecret) });
    return ((await response.json()) as { active: boolean }).active;
  };

  beforeAll(async () => {
    server = await startTestServer();
    second = await startTestServer({ shareWith: server });
    user = await provisionUser(server.runtime, { email: 'user@example.com', roles: ['admin'] });
    resourceServer = await provisionClient(server.runtime, { acronym: 'RS' });
  });
  afterAll(async () => {
    await second?.dispose();
    await server?.dispose();
  });

  it('answers the documented example request with the documented fields, dates consistent with expires_in', async () => {
    const response = await documentedExample();
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = JSON.parse(response.body) as TokenApiBody;
    expect(Object.keys(body)).toEqual(['access_token', 'token_type', 'expires_in', 'userName', 'userId', 'role', '.issued', '.expires']);
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 14 * 86_400, userName: 'user@example.com', userId: user.id, role: 'admin' });
    expect(body['.issued']).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    expect(Date.parse(body['.expires']) - Date.parse(body['.issued'])).toBe(body.expires_in * 1000);
    expect(Math.abs(Date.parse(body['.issued']) - Date.now())).toBeLessThan(5_000);
    const claims = claimsOf(body.access_token);
    expect(claims).toMatchObject({ sub: user.id, client_id: 'latchkey-token-api', roles: ['admin'], aud: server.url, gen: expect.any(Number) });
    expect(await active(body.access_token)).toBe(true);
  });

  it('discards the earlier token when a new one is issued, even within the same second, on every instance', async () => {
    const first = tokenOf(await documentedExample());
    expect(await active(first)).toBe(true);
    expect(await active(first, second)).toBe(true); // the second instance now caches this generation
    const next = tokenOf(await documentedExample());
    expect(claimsOf(next).gen).toBeGreaterThan(claimsOf(first).gen as number); // same second or not (see grant-password-token.test.ts)
    expect(await active(first)).toBe(false);
    expect(await active(next)).toBe(true);
    await second.runtime.syncChanges();
    expect(await active(first, second)).toBe(false);
    expect(await active(next, second)).toBe(true);
  });

  it('accepts POST with a form body, Basic auth carrying the user’s credentials, and a JSON body', async () => {
    const form = await postForm(`${server.url}/Token`, { grant_type: 'password', username: user.email, password: USER_PASSWORD });
    expect(form.status).toBe(200);
    const viaBasic = await postForm(`${server.url}/Token`, { grant_type: 'password' }, { authorization: basic(user.email, USER_PASSWORD) });
    expect(viaBasic.status).toBe(200);
    const basicPassword = await postForm(`${server.url}/Token`, { grant_type: 'password', username: user.email }, { authorization: basic(user.email, USER_PASSWORD) });
    expect(basicPassword.status).toBe(200);
    const json = await fetch(`${server.url}/Token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'password', username: user.email, password: USER_PASSWORD }) });
    expect(json.status).toBe(200);
    const query = await fetch(`${server.url}/Token?${new URLSearchParams({ grant_type: 'password', username: user.email, password: USER_PASSWORD })}`);
    expect(query.status).toBe(200);
    expect(((await query.json()) as TokenApiBody).userId).toBe(user.id);
  });

  it('answers wrong credentials, other grant types and missing fields with its error JSON', async () => {
    const wrong = await documentedExample(server, 'not the password');
    expect([wrong.status, JSON.parse(wrong.body)]).toEqual([400, { error: 'invalid_grant', error_description: 'the email or password is wrong' }]);
    const grant = await postForm(`${server.url}/Token`, { grant_type: 'client_credentials' });
    expect([grant.status, ((await grant.json()) as { error: string }).error]).toEqual([400, 'unsupported_grant_type']);
    const missing = await postForm(`${server.url}/Token`, { grant_type: 'password', username: user.email });
    expect(await missing.json()).toEqual({ error: 'invalid_request', error_description: 'parameter "password" is required' });
    const mismatch = await postForm(`${server.url}/Token`, { grant_type: 'password', username: user.email, password: USER_PASSWORD }, { authorization: basic('other@example.com', 'x') });
    expect(mismatch.status).toBe(400);
  });
});
