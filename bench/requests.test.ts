import { describe, expect, it } from 'vitest';
import { benchRequest, introspectionBody } from './requests.mjs';

const credentials = { clientId: 'bench-dev-0123456789ab', clientSecret: 'lks_secret' };

describe('benchRequest', () => {
  it('sends the dialects their documented JSON shapes', () => {
    const authenticate = benchRequest('authenticate', credentials);
    expect(authenticate).toMatchObject({ path: '/api/auth/v1/authenticate', headers: { 'content-type': 'application/json' }, token: 'accessToken' });
    expect(JSON.parse(authenticate.body)).toEqual({ clientId: credentials.clientId, clientSecret: credentials.clientSecret });
    const accessToken = benchRequest('access-token', credentials);
    expect(accessToken.path).toBe('/api/v1/access-token');
    expect(JSON.parse(accessToken.body)).toEqual({ client_id: credentials.clientId, client_secret: credentials.clientSecret, scope: 'email:send email:read' });
  });

  it('tells good answers from bad ones', () => {
    expect(benchRequest('authenticate', credentials).check({ tokenType: 'Bearer', expirationTime: 1 })).toBeNull();
    expect(benchRequest('authenticate', credentials).check({ token_type: 'Bearer' })).toMatch(/tokenType/);
    expect(benchRequest('token', credentials).check({ token_type: 'bearer', expires_in: 600 })).toBeNull();
    expect(benchRequest('introspect', credentials, 'a.b.c').check({ active: false })).toMatch(/active/);
  });

  it('introspects with client authentication and the token form-encoded', () => {
    const r = benchRequest('introspect', credentials, 'a+b.c');
    expect(r.headers.authorization).toMatch(/^Basic /);
    expect(r.body).toBe('token=a%2Bb.c');
    expect(introspectionBody('x')).toBe('token=x');
  });
});
