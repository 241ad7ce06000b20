// The requests the bench sends, by kind: the client_credentials token request, the two JSON dialects that
// issue the same token, and introspection. Each says its path, headers and body for given credentials,
// and how to tell a good answer: the token it carries, or why it is wrong.
import { REQUEST_BODY, basicAuthorization } from './scenarios.mjs';

/** @typedef {'token' | 'authenticate' | 'access-token' | 'introspect'} RequestKind */

/**
 * `token` names the field holding the issued access token (null: the request issues none);
 * `check` returns what is wrong with a 200 answer's JSON, or null.
 * @typedef {{
 *   path: string, headers: Record<string, string>, body: string, token: string | null,
 *   check: (json: Record<string, unknown>) => string | null,
 * }} BenchRequest
 */

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

/** @param {Record<string, unknown>} json */
const oauthTokenAnswer = (json) =>
  String(json.token_type).toLowerCase() === 'bearer' && typeof json.expires_in === 'number' ? null : 'expected token_type Bearer and a numeric expires_in';

/**
 * @param {RequestKind} kind
 * @param {{ clientId: string, clientSecret: string }} credentials
 * @param {string} [token] the token to introspect
 * @returns {BenchRequest}
 */
export function benchRequest(kind, credentials, token = '') {
  const basic = { 'content-type': FORM, authorization: basicAuthorization(credentials.clientId, credentials.clientSecret) };
  switch (kind) {
    case 'token':
      return { path: '/oauth/token', headers: basic, body: REQUEST_BODY, token: 'access_token', check: oauthTokenAnswer };
    case 'authenticate':
      return {
        path: '/api/auth/v1/authenticate',
        headers: { 'content-type': JSON_TYPE },
        body: JSON.stringify({ clientId: credentials.clientId, clientSecret: credentials.clientSecret }),
        token: 'accessToken',
        check: (json) => (json.tokenType === 'Bearer' && typeof json.expirationTime === 'number' ? null : 'expected tokenType Bearer and a numeric expirationTime'),
      };
    case 'access-token':
      return {
        path: '/api/v1/access-token',
        headers: { 'content-type': JSON_TYPE },
        // The same scopes as the token request, so the same token is signed.
        body: JSON.stringify({ client_id: credentials.clientId, client_secret: credentials.clientSecret, scope: 'email:send email:read' }),
        token: 'access_token',
        check: oauthTokenAnswer,
      };
    case 'introspect':
      return {
        path: '/oauth/introspect',
        headers: basic,
        body: introspectionBody(token),
        token: null,
        check: (json) => (json.active === true ? null : 'expected an active token'),
      };
  }
}

/** The prefix of an introspection body, before the token: what each pooled token is appended to. */
export const INTROSPECTION_PREFIX = 'token=';

/**
 * @param {string} token
 * @returns {string}
 */
export function introspectionBody(token) {
  return `${INTROSPECTION_PREFIX}${encodeURIComponent(token)}`;
}
