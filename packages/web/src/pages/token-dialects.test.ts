import { describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_SCHEMA, AUTHENTICATE_SCHEMA, TOKEN_API_POST_SCHEMA, TOKEN_SCHEMA } from '@latchkey/contract';
import { buildRequest, decodeJwt, DIALECTS } from './token-dialects.js';

const dialect = (id: string) => DIALECTS.find((d) => d.id === id) ?? DIALECTS[0]!;
const values = { clientId: 'lkc_abc', clientSecret: "lks_s3cr'et", scope: '', username: 'me@example.org' };

describe('the Get Access Token page requests', () => {
  it('builds the standard client-credentials form and never puts the secret into curl', () => {
    const request = buildRequest(dialect('oauth2'), 'form', 'http://127.0.0.1:8080', values);
    expect(request.url).toBe('http://127.0.0.1:8080/oauth/token');
    expect(new URLSearchParams(request.body).get('client_secret')).toBe(values.clientSecret);
    expect(new URLSearchParams(request.body).has('scope')).toBe(false);
    expect(request.curl).not.toContain('s3cr');
    expect(request.curl).toContain('"client_secret=$CLIENT_SECRET"');
  });

  it('sends the authenticate dialect as JSON with its own field names', () => {
    const request = buildRequest(dialect('authenticate'), 'json', 'http://h', values);
    expect(JSON.parse(request.body)).toEqual({ clientId: 'lkc_abc', clientSecret: values.clientSecret });
    expect(request.curl).toContain(`"clientSecret":"'"$CLIENT_SECRET"'"`);
    expect(dialect('authenticate').schema).toMatchObject({ required: ['clientId', 'clientSecret'], properties: { clientId: { maxLength: 100 } } });
  });

  it('includes an optional scope only when one is given', () => {
    const request = buildRequest(dialect('access-token'), 'json', 'http://h', { ...values, scope: 'email:send' });
    expect(JSON.parse(request.body)).toMatchObject({ client_id: 'lkc_abc', scope: 'email:send' });
  });

  it('documents the fields and statuses the endpoint schemas declare', () => {
    const schemas = { oauth2: TOKEN_SCHEMA, 'access-token': ACCESS_TOKEN_SCHEMA, authenticate: AUTHENTICATE_SCHEMA, 'token-api': TOKEN_API_POST_SCHEMA };
    for (const d of DIALECTS) {
      const schema = schemas[d.id];
      expect(d.schema, d.id).toBe(schema.body);
      expect(d.codes.map((c) => String(c.status)), d.id).toEqual(Object.keys(schema.response));
      for (const f of d.fields) expect(Object.keys(schema.body.properties), d.id).toContain(f.name);
      expect(d.fields.filter((f) => f.required).map((f) => f.name), d.id).toEqual(schema.body.required);
    }
    expect(dialect('token-api').fields.find((f) => f.name === 'grant_type')?.value).toBe('password');
    expect(dialect('authenticate').fields.map((f) => [f.name, f.maxLength])).toEqual([['clientId', 100], ['clientSecret', 100]]);
  });

  it('decodes a JWT header and claims, and refuses what is not one', () => {
    const part = (o: object) => btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(o)))).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    expect(decodeJwt(`${part({ alg: 'ES256' })}.${part({ app: 'ACR', scope: 'é' })}.sig`)).toEqual({ header: { alg: 'ES256' }, claims: { app: 'ACR', scope: 'é' } });
    expect(decodeJwt('not-a-jwt')).toBeNull();
  });
});
