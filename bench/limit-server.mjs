// "The limit": the least a Node token endpoint on Fastify can do for POST /oauth/token. It parses the
// same urlencoded body Latchkey parses, signs one ES256 JWT of the same claims and size with a key
// imported once, and answers with the same JSON shape. No client authentication, no storage, no logging,
// no metrics: whatever Latchkey spends above this is the price of what it does besides. POST
// /oauth/introspect is the same ceiling for introspection: parse the form, verify one ES256 JWT (one of
// its own), answer its claims.
//
// With BENCH_LIMIT_REMEMBER=1 it remembers each answer's JSON by token: the HTTP ceiling for a token seen
// before (parse the form, one Map lookup, send).
//
// Env: BENCH_PORT (required), BENCH_CLIENT_ID (the client id to put in sub/client_id, so the token has
// the size of Latchkey's). Prints "READY <port>" on stdout once listening.
import { createHash, generateKeyPairSync, randomUUID, sign, verify } from 'node:crypto';
import Fastify from 'fastify';

const port = Number(process.env.BENCH_PORT);
if (!Number.isInteger(port) || port <= 0) throw new Error('BENCH_PORT must be a port number');
const clientId = process.env.BENCH_CLIENT_ID ?? 'bench-dev-000000000000';
// Latchkey's defaults: issuer http://localhost:<port>, audience urn:latchkey:service:<key>:<env>, 600 s.
const issuer = `http://localhost:${port}`;
const audience = 'urn:latchkey:service:email:dev';
const ttl = 600;

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const jwk = publicKey.export({ format: 'jwk' });
// RFC 7638 thumbprint as kid, like Latchkey, so the header has the same size.
const kid = createHash('sha256').update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })).digest('base64url');
const header = Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'at+jwt', kid })).toString('base64url');

const app = Fastify({ logger: false });
app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
  done(null, new URLSearchParams(body));
});

app.post('/oauth/token', (request, reply) => {
  const scope = request.body.get('scope') ?? 'email:send email:read';
  const iat = Math.floor(Date.now() / 1000);
  const payload = {
    iss: issuer,
    sub: clientId,
    aud: audience,
    exp: iat + ttl,
    iat,
    jti: randomUUID(),
    client_id: clientId,
    scope,
    env: 'dev',
    app: 'BENCH',
  };
  const input = `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
  reply.header('cache-control', 'no-store').send({ access_token: `${input}.${signature}`, token_type: 'Bearer', expires_in: ttl, scope });
});

const remember = process.env.BENCH_LIMIT_REMEMBER === '1';
/** @type {Map<string, string>} */
const answers = new Map();

app.post('/oauth/introspect', (request, reply) => {
  const token = request.body.get('token') ?? '';
  const known = remember ? answers.get(token) : undefined;
  if (known !== undefined) return reply.header('cache-control', 'no-store').type('application/json; charset=utf-8').send(known);
  const [head, body, signature] = token.split('.');
  const valid = head !== undefined && body !== undefined && signature !== undefined &&
    verify('sha256', Buffer.from(`${head}.${body}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
  const claims = valid ? JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) : null;
  const active = claims !== null && claims.exp > Date.now() / 1000;
  const answer = JSON.stringify(active ? { active, ...claims, token_type: 'Bearer' } : { active: false });
  if (remember && answers.size < 100_000) answers.set(token, answer);
  return reply.header('cache-control', 'no-store').type('application/json; charset=utf-8').send(answer);
});

const stop = () => {
  app.close().then(() => process.exit(0), () => process.exit(1));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

await app.listen({ port, host: '127.0.0.1' });
process.stdout.write(`READY ${port}\n`);
