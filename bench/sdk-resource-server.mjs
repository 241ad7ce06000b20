// A resource server for the SDK scenario (sdk-bench.mjs): one Fastify route, POST /resource, answering
// {"ok":true}, in one of three modes (BENCH_SDK_MODE):
//   bare       — the route alone: the ceiling;
//   verified   — the same route behind @latchkey/sdk's Fastify preHandler (createVerifier, the verified-token
//                cache, required scope email:send);
//   one-verify — the same route doing one ES256 signature check of the bearer token with node:crypto
//                (key from Latchkey's JWKS, imported once) and nothing else: the floor of a first sight.
// Env: BENCH_PORT, BENCH_SDK_MODE, BENCH_SDK_ISSUER (Latchkey's issuer URL), BENCH_SDK_AUDIENCE.
// Prints "READY <port>" once listening.
import { createPublicKey, verify } from 'node:crypto';
import Fastify from 'fastify';
import { createVerifier } from '@latchkey/sdk';
import { latchkeyFastify } from '@latchkey/sdk/fastify';

const port = Number(process.env.BENCH_PORT);
if (!Number.isInteger(port) || port <= 0) throw new Error('BENCH_PORT must be a port number');
const mode = process.env.BENCH_SDK_MODE ?? 'bare';
const issuer = process.env.BENCH_SDK_ISSUER ?? '';
const audience = process.env.BENCH_SDK_AUDIENCE ?? 'urn:latchkey:service:email:dev';

const app = Fastify({ logger: false });
// The load generator posts an empty body; accept any content type without parsing.
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', (_request, _payload, done) => done(null, null));

/**
 * The preHandler of the mode, or none (bare).
 * @returns {Promise<import('fastify').preHandlerAsyncHookHandler | null>}
 */
async function preHandlerOf() {
  if (mode === 'bare') return null;
  if (mode === 'verified') {
    const verifier = createVerifier({ issuer, audience, requiredScopes: ['email:send'] });
    app.decorateRequest('principal', null);
    return /** @type {import('fastify').preHandlerAsyncHookHandler} */ (/** @type {unknown} */ (latchkeyFastify(verifier)));
  }
  if (mode !== 'one-verify') throw new Error(`BENCH_SDK_MODE=${mode}: expected bare, verified or one-verify`);
  const metadata = /** @type {{ jwks_uri: string }} */ (await (await fetch(`${issuer}/.well-known/oauth-authorization-server`)).json());
  const jwks = /** @type {{ keys: Array<{ kid: string } & import('node:crypto').JsonWebKey> }} */ (await (await fetch(metadata.jwks_uri)).json());
  const keys = new Map(jwks.keys.map((jwk) => [jwk.kid, createPublicKey({ key: jwk, format: 'jwk' })]));
  return async (request, reply) => {
    const token = (request.headers.authorization ?? '').slice('Bearer '.length);
    const [head = '', body = '', signature = ''] = token.split('.');
    const { kid } = JSON.parse(Buffer.from(head, 'base64url').toString('utf8'));
    const key = keys.get(kid);
    const valid = key !== undefined && verify('sha256', Buffer.from(`${head}.${body}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
    if (!valid) return reply.code(401).send({ error: 'invalid_token' });
    return undefined;
  };
}

const preHandler = await preHandlerOf();
app.post('/resource', preHandler ? { preHandler } : {}, async () => ({ ok: true }));

const stop = () => {
  app.close().then(() => process.exit(0), () => process.exit(1));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

await app.listen({ port, host: '127.0.0.1' });
process.stdout.write(`READY ${port}\n`);
