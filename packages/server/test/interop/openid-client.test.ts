import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as oidc from 'openid-client';
import { decodeJwt } from 'jose';
import { startTestServer, type ProvisionedClient, type TestServer } from '../support/test-server.js';
import { audienceOf, provision, discoverClient, EMAIL_DEV } from './support.js';

// openid-client v6 (OpenID certified, built on oauth4webapi) as an independent client of a real server.
const DOCS_DEV = audienceOf('docs');

/** The library's rejection of a promise, for assertions on its type and fields. */
async function failure(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail');
}

describe('openid-client v6 talking to Latchkey over HTTP', () => {
  let server: TestServer;
  let client: ProvisionedClient;
  let config: oidc.Configuration;

  beforeAll(async () => {
    server = await startTestServer();
    // One client granted two services, so scope and resource have something to narrow.
    client = await provision(server, { serviceKeys: { email: ['email:send', 'email:read'], docs: ['docs:read'] } });
    ({ config } = await discoverClient(server, client));
  });

  afterAll(async () => {
    await server?.dispose();
  });

  it('discovers the endpoints from the RFC 8414 metadata at /.well-known/oauth-authorization-server', async () => {
    const { config: discovered, requests } = await discoverClient(server, client);
    expect(requests[0]).toMatchObject({ method: 'GET', url: `${server.url}/.well-known/oauth-authorization-server` });
    const metadata = discovered.serverMetadata();
    expect(metadata).toMatchObject({
      issuer: server.url,
      token_endpoint: `${server.url}/oauth/token`,
      jwks_uri: `${server.url}/oauth/jwks`,
      introspection_endpoint: `${server.url}/oauth/introspect`,
      revocation_endpoint: `${server.url}/oauth/revoke`,
      grant_types_supported: ['client_credentials', 'password'],
    });
    expect(metadata.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(['client_secret_basic', 'client_secret_post']));
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(['email:send', 'email:read', 'docs:read']));
  });

  it('discovers through /.well-known/openid-configuration, openid-client’s default, the same metadata without OpenID claims', async () => {
    const { config: discovered, requests } = await discoverClient(server, client, { algorithm: 'oidc' });
    expect(requests[0]).toMatchObject({ method: 'GET', url: `${server.url}/.well-known/openid-configuration` });
    const rfc8414 = await fetch(`${server.url}/.well-known/oauth-authorization-server`);
    expect(discovered.serverMetadata()).toEqual(await rfc8414.json());
    const oidcDocument = await fetch(`${server.url}/.well-known/openid-configuration`);
    expect(oidcDocument.headers.get('cache-control')).toBe(rfc8414.headers.get('cache-control'));
    const claimed = Object.keys((await oidcDocument.json()) as Record<string, unknown>);
    for (const openIdOnly of ['authorization_endpoint', 'userinfo_endpoint', 'id_token_signing_alg_values_supported', 'subject_types_supported', 'claims_supported']) {
      expect(claimed).not.toContain(openIdOnly);
    }
    expect(discovered.serverMetadata().scopes_supported).not.toContain('openid');
    const tokens = await oidc.clientCredentialsGrant(discovered, { scope: 'email:send' });
    expect(decodeJwt(tokens.access_token)).toMatchObject({ iss: server.url, client_id: client.clientId, scope: 'email:send' });
    expect(requests.map((r) => r.url)).toContain(`${server.url}/oauth/token`);
  });

  it.each(['basic', 'post'] as const)('issues a client_credentials token to a client authenticating with client_secret_%s', async (method) => {
    const { config: configured, requests } = await discoverClient(server, client, { method });
    const tokens = await oidc.clientCredentialsGrant(configured);

    const sent = requests.find((r) => r.url === `${server.url}/oauth/token`);
    const body = new URLSearchParams(sent?.body);
    expect(body.get('grant_type')).toBe('client_credentials');
    if (method === 'basic') {
      expect(sent?.headers.authorization).toMatch(/^Basic /);
      expect(body.has('client_secret')).toBe(false);
    } else {
      expect(sent?.headers.authorization).toBeUndefined();
      expect(body.get('client_id')).toBe(client.clientId);
      expect(body.get('client_secret')).toBe(client.clientSecret);
    }

    expect(tokens.token_type).toBe('bearer');
    expect(tokens.expires_in).toBeGreaterThan(0);
    expect(tokens.scope?.split(' ').sort()).toEqual(['docs:read', 'email:read', 'email:send']);
    const claims = decodeJwt(tokens.access_token);
    expect(claims).toMatchObject({ iss: server.url, sub: client.clientId, client_id: client.clientId, env: 'dev' });
    expect([claims.aud].flat().sort()).toEqual([DOCS_DEV, EMAIL_DEV]);
    expect(claims.exp).toBe((claims.iat ?? 0) + (tokens.expires_in ?? 0));
  });

  it('grants a requested subset of scopes and limits aud to the services they belong to', async () => {
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'email:read' });
    expect(tokens.scope).toBe('email:read');
    expect(decodeJwt(tokens.access_token)).toMatchObject({ scope: 'email:read', aud: EMAIL_DEV });
  });

  it('refuses a scope the client was not granted with the library error invalid_scope', async () => {
    const error = await failure(oidc.clientCredentialsGrant(config, { scope: 'email:read email:delete' }));
    expect(error).toBeInstanceOf(oidc.ResponseBodyError);
    expect(error).toMatchObject({ status: 400, error: 'invalid_scope' });
  });

  it.each([
    [EMAIL_DEV, 'email:send email:read'],
    [DOCS_DEV, 'docs:read'],
  ])('narrows aud to the RFC 8707 resource %s, with that service’s scopes only', async (resource, scope) => {
    const tokens = await oidc.clientCredentialsGrant(config, { resource });
    expect(tokens.scope).toBe(scope);
    expect(decodeJwt(tokens.access_token)).toMatchObject({ aud: resource, scope });
  });

  it('refuses a resource the client has no grant for with the library error invalid_target', async () => {
    const error = await failure(oidc.clientCredentialsGrant(config, { resource: audienceOf('billing') }));
    expect(error).toBeInstanceOf(oidc.ResponseBodyError);
    expect(error).toMatchObject({ status: 400, error: 'invalid_target' });
  });

  it('introspects a token as active, and as inactive once the client revoked it (RFC 7662, RFC 7009)', async () => {
    const { access_token: revoked } = await oidc.clientCredentialsGrant(config, { scope: 'email:send' });
    const { access_token: kept } = await oidc.clientCredentialsGrant(config, { scope: 'email:send' });

    const before = await oidc.tokenIntrospection(config, revoked);
    expect(before).toMatchObject({ active: true, client_id: client.clientId, scope: 'email:send', aud: EMAIL_DEV, iss: server.url, env: 'dev' });
    expect(before.token_type?.toLowerCase()).toBe('bearer');

    await oidc.tokenRevocation(config, revoked);
    expect(await oidc.tokenIntrospection(config, revoked)).toEqual({ active: false });
    // Revocation is per token: the client's other token stays active.
    expect(await oidc.tokenIntrospection(config, kept)).toMatchObject({ active: true });
    // RFC 7009 §2.2: revoking again is not an error.
    await expect(oidc.tokenRevocation(config, revoked)).resolves.toBeUndefined();
  });

  it('introspects through a client_secret_post configuration as well', async () => {
    const { config: post } = await discoverClient(server, client, { method: 'post' });
    const { access_token: token } = await oidc.clientCredentialsGrant(post);
    expect(await oidc.tokenIntrospection(post, token)).toMatchObject({ active: true, client_id: client.clientId });
  });

  it.each(['basic', 'post'] as const)('answers a wrong secret sent with client_secret_%s by 401 invalid_client, surfaced as the library error', async (method) => {
    const { config: wrong } = await discoverClient(server, client, { method, secret: `${client.clientSecret}x` });
    const error = await failure(oidc.clientCredentialsGrant(wrong));
    // oauth4webapi looks at the 401's WWW-Authenticate challenge (RFC 6749 §5.2: Basic) before the body,
    // so the error is a WWWAuthenticateChallengeError; the OAuth error code is in the response body.
    expect(error).toBeInstanceOf(oidc.WWWAuthenticateChallengeError);
    expect(error.status).toBe(401);
    expect(error.cause).toEqual([expect.objectContaining({ scheme: 'basic' })]);
    const response = (error as unknown as oidc.WWWAuthenticateChallengeError).response;
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('refuses introspection to a client presenting a wrong secret', async () => {
    const { access_token: token } = await oidc.clientCredentialsGrant(config);
    const { config: wrong } = await discoverClient(server, client, { secret: 'not-the-secret' });
    const error = await failure(oidc.tokenIntrospection(wrong, token));
    expect(error).toBeInstanceOf(oidc.WWWAuthenticateChallengeError);
    expect(error.status).toBe(401);
  });
});
