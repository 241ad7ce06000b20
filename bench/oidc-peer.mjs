// "The peer": node-oidc-provider (https://github.com/panva/node-oidc-provider), the most used OAuth/OIDC
// server library for Node, set up to do what Latchkey's token endpoint does: client_credentials with
// client_secret_basic, answered with an ES256-signed RFC 9068 JWT access token (not an opaque one).
//
// Env: BENCH_PORT (required), BENCH_CLIENT_ID and BENCH_CLIENT_SECRET (the one client; the bench passes
// the credentials Latchkey issued so that every target gets byte-identical requests),
// BENCH_PEER_TOKEN_FORMAT (`jwt`, the default, or `opaque`: oidc-provider's introspection answers only
// for the tokens it stores, so the introspection pass has it issue opaque ones and introspects those).
// Prints "READY <port>" on stdout once listening.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import { Provider } from 'oidc-provider';

const port = Number(process.env.BENCH_PORT);
if (!Number.isInteger(port) || port <= 0) throw new Error('BENCH_PORT must be a port number');
const clientId = process.env.BENCH_CLIENT_ID ?? 'bench-dev-000000000000';
const clientSecret = process.env.BENCH_CLIENT_SECRET ?? 'lks_bench-peer-secret-that-is-long-enough-000000000';

// Same audience, scopes, lifetime and issuer form as the token Latchkey issues in the bench.
const issuer = `http://localhost:${port}`;
const audience = 'urn:latchkey:service:email:dev';
const scopes = 'email:send email:read';
const ttl = 600;
const format = process.env.BENCH_PEER_TOKEN_FORMAT === 'opaque' ? 'opaque' : 'jwt';

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const jwk = privateKey.export({ format: 'jwk' });
const kid = createHash('sha256').update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })).digest('base64url');

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: scopes,
    },
  ],
  // Only an EC key: ES256 is the only signing algorithm in play.
  jwks: { keys: [{ ...jwk, kid, alg: 'ES256', use: 'sig' }] },
  clientDefaults: { id_token_signed_response_alg: 'ES256' },
  // The client's scope must be made of scopes the server supports.
  scopes: scopes.split(' '),
  // Latchkey's path, so every target answers the same URL.
  routes: { token: '/oauth/token', introspection: '/oauth/introspect' },
  cookies: { keys: ['bench-cookie-key-not-used-by-client-credentials'] },
  ttl: { ClientCredentials: ttl },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    // RFC 7662 for the client itself (client_secret_basic, as for the token endpoint).
    introspection: { enabled: true },
    resourceIndicators: {
      enabled: true,
      // No `resource` parameter in the request: every token is for the one resource server.
      defaultResource: () => audience,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: scopes,
        audience,
        accessTokenTTL: ttl,
        accessTokenFormat: format,
        ...(format === 'jwt' ? { jwt: { sign: { alg: 'ES256' } } } : {}),
      }),
    },
  },
  // Latchkey's tokens carry env and app; add them so the peer signs a payload of the same size.
  extraTokenClaims: () => ({ env: 'dev', app: 'BENCH' }),
});

provider.on('server_error', (_ctx, error) => {
  process.stderr.write(`oidc-provider server_error: ${error?.stack ?? error}\n`);
});

const server = createServer(provider.callback());
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`READY ${port}\n`);
});
