import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, provisionClient, startTestServer, type ProvisionedClient, type TestServer } from './support/test-server.js';
import { storageBackends, type FreshDatabase } from './support/databases.js';

// Malformed requests against a real server: whatever arrives, the answer is a prompt, well-formed RFC 6749
// error (or success), never a 5xx and never a hang.
const backends = await storageBackends('malformed OAuth requests');

const RUNS = 300;
const TIMEOUT_MS = 5_000;
const OAUTH_ERRORS = new Set([
  'invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope',
  'invalid_target', 'access_denied', 'server_error', 'temporarily_unavailable', // RFC 6749 §5.2/§4.1.2.1, RFC 8707
]);
const POST_PATHS = ['/oauth/token', '/oauth/introspect', '/oauth/revoke'] as const;

interface Sent {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  /** Send the body chunked (no Content-Length). */
  readonly chunked?: boolean;
}

interface Received {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A header value holding arbitrary bytes 0x80-0xFF (node:http writes header strings as latin1). */
const bytesAsHeader = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');

/** One raw HTTP/1.1 request on a fresh connection; rejects if no complete response arrives in time. */
function send(base: string, req: Sent): Promise<Received> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | null, value?: Received) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(value!);
    };
    const outgoing = httpRequest({ host: url.hostname, port: url.port, method: req.method, path: req.path, headers: req.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => finish(null, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', (e) => finish(e));
    });
    const timer = setTimeout(() => {
      finish(new Error(`no response within ${TIMEOUT_MS} ms to ${req.method} ${req.path}`));
      outgoing.destroy();
    }, TIMEOUT_MS);
    // The server may answer (413, 415) and close before the whole body is written: that is fine if the
    // response itself arrived, which the response handler decides.
    outgoing.on('error', (e) => setTimeout(() => finish(e), 200));
    if (req.body && req.chunked) {
      outgoing.write(req.body);
      outgoing.end();
    } else outgoing.end(req.body);
  });
}

function describeResponse(req: Sent, res: Received): string {
  const body = req.body ? (req.body.length > 200 ? `${req.body.subarray(0, 200).toString('latin1')}… (${req.body.length} bytes)` : req.body.toString('latin1')) : '';
  return `${req.method} ${req.path} ${JSON.stringify(req.headers).slice(0, 300)} ${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.headers)} ${res.body.toString('utf8').slice(0, 300)}`;
}

/** The properties every answer from a POST /oauth/* endpoint has. */
function checkOAuthAnswer(req: Sent, res: Received): void {
  const context = describeResponse(req, res);
  expect(res.status, context).toBeLessThan(500);
  expect(res.status, context).toBeGreaterThanOrEqual(200);
  expect(String(res.headers['cache-control']), context).toContain('no-store');
  if (res.status >= 400) {
    expect(res.headers['content-type'], context).toMatch(/^application\/json/);
    const body = JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;
    expect(typeof body.error === 'string' && OAUTH_ERRORS.has(body.error), context).toBe(true);
    expect(typeof body.error_description, context).toBe('string');
    if (res.status === 401) expect(res.headers['www-authenticate'], context).toMatch(/^Basic /);
  } else if (req.path === '/oauth/token') {
    const body = JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;
    expect(body, context).toMatchObject({ access_token: expect.any(String), token_type: 'Bearer', expires_in: expect.any(Number) });
  }
}

// ---- generators ------------------------------------------------------------------------------------------

const FORM = 'application/x-www-form-urlencoded';
const contentType = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(FORM, `${FORM}; charset=utf-8`) },
  fc.constant(undefined),
  fc.constantFrom(
    FORM, `${FORM}; charset=utf-8`, `${FORM};charset=ISO-8859-1`, `${FORM}; charset="utf-8"; x=y`, FORM.toUpperCase(), `${FORM};;`,
    'application/json', 'application/json; charset=utf-8', 'text/plain', 'text/plain; charset=utf-8', 'multipart/form-data; boundary=xyz',
    'multipart/form-data', 'application/octet-stream', '*/*', '', ' ', `${FORM}, application/json`, 'application/x-www-form-urlencodedx',
    'application/', '/', ';', 'form', 'application/jwt', 'application/xml',
  ),
  fc.string({ maxLength: 40 }).map(bytesAsHeader),
);

const junkFragment = fc.constantFrom(
  '%ZZ', '%E0%A4', '%', '%2', '%C3%28', '%ED%A0%80', '%F0%90%80', '%FF', '%00', '%0A', '+', '&', '&&', '=', '==', '%26', '%3D', '%2B',
  '\u0000', '\u00ff', '€', '😀', '\ud800', ' ', ';', '#', '?', '[]', '__proto__', 'constructor', 'toString',
);
const junkText = fc.array(fc.oneof(junkFragment, fc.string({ maxLength: 12 })), { maxLength: 8 }).map((parts) => parts.join(''));
const paramName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('grant_type', 'scope', 'resource', 'client_id', 'client_secret', 'token', 'token_type_hint') },
  { weight: 1, arbitrary: junkText },
);

/** Token requests that are nearly right: the grant, with random scope and resource values (repeated or not). */
function nearValidForm() {
  const scope = fc.oneof(fc.constantFrom('email:send', 'email:read', 'email:send email:read', ' email:send ', 'email:send email:send', 'email:write', ''), junkText);
  const resource = fc.oneof(fc.constantFrom('urn:latchkey:service:email:dev', 'urn:latchkey:service:email:prod', 'https://mail.example.com', 'http://x/#f', 'not a uri', ''), junkText);
  return fc
    .record({ scopes: fc.array(scope, { maxLength: 2 }), resources: fc.array(resource, { maxLength: 3 }) })
    .map(({ scopes, resources }) => {
      const form = new URLSearchParams({ grant_type: 'client_credentials' });
      for (const s of scopes) form.append('scope', s.replace(/[\ud800-\udfff]/g, ''));
      for (const r of resources) form.append('resource', r.replace(/[\ud800-\udfff]/g, ''));
      return form.toString();
    });
}

/** A client_id as sent in a form (already %-encoded): near misses of the real one, control bytes, junk. */
const hostileId = (client: ProvisionedClient) =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom('%00', 'a%00b', `${client.clientId}%00`, '%01', '%0A', '%1F', '%7F', '%C2%80') }, // control characters
    fc.constantFrom('%ZZ', '%ED%A0%80', '%C0%80', '%EF%BF%BF', '%F4%90%80%80', client.clientId.toUpperCase(), `${client.clientId}%20`, '+', 'x'.repeat(600)),
    junkText.map((t) => encodeURIComponent(t.replace(/[\ud800-\udfff]/g, ''))),
  );

/** Form bodies: known and junk parameters, repeated or not, values meaningful or junk, encoded or raw. */
function formBody(client: ProvisionedClient) {
  const value = fc.oneof(
    fc.constantFrom('client_credentials', 'password', 'authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:jwt-bearer', 'CLIENT_CREDENTIALS', ''),
    fc.constantFrom('email:send', 'email:read email:send', 'email:send  email:read', 'openid', 'a"b', 'https://mail.example.com', 'urn:latchkey:service:email:dev', 'relative/path', 'http://x/#frag'),
    fc.constantFrom(client.clientId, client.clientSecret, `${client.clientSecret}x`, 'lks_short', 'eyJhbGciOiJFUzI1NiJ9.e30.c2ln', 'a.b.c', '..'),
    junkText,
  );
  // encodeURIComponent refuses lone surrogates; write those raw (the body encoder turns them into U+FFFD).
  const encode = (s: string) => {
    try {
      return encodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const pair = fc.tuple(paramName, value, fc.boolean()).map(([k, v, encoded]) => (encoded ? `${encode(k)}=${encode(v)}` : `${k}=${v}`));
  // client_secret_post with an identifier no client can have (NUL, broken escapes, huge): a 400 or 401, nothing worse.
  const credentials = fc.tuple(hostileId(client), value).map(([id, secret]) => `client_id=${id}&client_secret=${encode(secret)}`);
  return fc.array(fc.oneof({ weight: 6, arbitrary: pair }, { weight: 2, arbitrary: junkFragment }, { weight: 2, arbitrary: credentials }), { maxLength: 10 }).map((pairs) => pairs.join('&'));
}

function body(client: ProvisionedClient) {
  return fc.oneof(
    { weight: 8, arbitrary: formBody(client).map((s) => Buffer.from(s, 'utf8')) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((s) => Buffer.from(s, 'utf8')) },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)) }, // mostly invalid UTF-8
    { weight: 1, arbitrary: fc.constantFrom('{"grant_type":"client_credentials"}', '--xyz\r\nContent-Disposition: form-data; name="grant_type"\r\n\r\nclient_credentials\r\n--xyz--', '\u0000').map((s) => Buffer.from(s)) },
    { weight: 1, arbitrary: fc.constant(Buffer.alloc(0)) },
    // Over the 16 KiB form limit, and over the 1 MiB server limit.
    { weight: 1, arbitrary: fc.constantFrom(16 * 1024 + 1, 200_000, 1024 * 1024 + 10).map((n) => Buffer.from(`grant_type=client_credentials&scope=${'a'.repeat(n)}`)) },
  );
}

function authorization(client: ProvisionedClient) {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  return fc.oneof(
    fc.constant(undefined),
    fc.constant(basic(client.clientId, client.clientSecret)),
    fc.constant(basic(client.clientId, `${client.clientSecret.slice(0, -1)}x`)),
    fc.string({ maxLength: 60 }).map((s) => `Basic ${s}`), // junk "base64"
    fc.string({ maxLength: 60 }).map((s) => `Basic ${b64(s)}`), // usually no colon, or junk either side
    fc.tuple(junkText, junkText).map(([id, secret]) => `Basic ${b64(`${id}:${secret}`)}`),
    fc.tuple(fc.constantFrom(client.clientId, 'nobody'), junkText).map(([id, secret]) => `Basic ${b64(`${id}:${secret}`)}`),
    fc.tuple(hostileId(client), junkText).map(([id, secret]) => `Basic ${b64(`${id}:${secret}`)}`),
    fc.integer({ min: 513, max: 8_000 }).map((n) => `Basic ${b64(`${'i'.repeat(n)}:${'s'.repeat(n)}`)}`.slice(0, 8_000)), // long
    fc.constantFrom('Basic', 'Basic ', 'basic Og==', 'BASIC Og==', 'Basic ====', 'Basic Og', 'Basic a:b', 'Bearer abc', 'Bearer', 'Digest x', 'Negotiate', ''),
    fc.string({ maxLength: 30 }).map((s) => bytesAsHeader(`Basic ${s}ü€😀`)), // raw UTF-8 bytes in the header
  );
}

const junkQuery = fc.oneof(
  fc.string({ maxLength: 60 }).map((s) => encodeURI(s.replace(/[\ud800-\udfff]/g, ''))),
  fc.array(junkFragment, { maxLength: 6 }).map((parts) => parts.join('').replace(/[\s#\u0000\ud800]/g, '')),
  fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a.filter((b) => b > 0x20 && b !== 0x7f && b !== 0x23)).toString('latin1')),
).map((q) => bytesAsHeader(q).replace(/[^\u0021-\u00ff]/g, ''));

describe.each(backends)('malformed OAuth requests, $name storage', (backend) => {
  describe.skipIf(backend.skip)(backend.name, () => {
    let database: FreshDatabase | null = null;
    let server: TestServer;
    let client: ProvisionedClient;

    beforeAll(async () => {
      database = backend.name === 'SQLite' ? null : await backend.fresh();
      server = await startTestServer(database ? { env: { LATCHKEY_DATABASE_URL: database.url } } : {});
      client = await provisionClient(server.runtime);
    });
    afterAll(async () => {
      await server?.dispose();
      await database?.drop();
    });

    const property = (what: string, arb: fc.Arbitrary<Sent>, check: (req: Sent, res: Received) => void) =>
      it(what, async () => {
        await fc.assert(
          fc.asyncProperty(arb, async (req) => check(req, await send(server.url, req))),
          { numRuns: RUNS, interruptAfterTimeLimit: 25_000 },
        );
      }, 60_000);

    property(
      'POST /oauth/* with any content type, body and Authorization: never a 5xx, no hang, RFC 6749 errors',
      fc.constant(null).chain(() =>
        fc.record({ path: fc.constantFrom(...POST_PATHS), type: contentType, auth: authorization(client), body: body(client), chunked: fc.boolean() }),
      ).map(({ path, type, auth, body, chunked }): Sent => ({
        method: 'POST',
        path,
        headers: { ...(type === undefined ? {} : { 'content-type': type }), ...(auth === undefined ? {} : { authorization: auth }) },
        body,
        chunked,
      })),
      checkOAuthAnswer,
    );

    property(
      'POST /oauth/* with well-typed forms of random parameters, authenticated or not',
      fc.constant(null).chain(() =>
        fc.record({ path: fc.constantFrom(...POST_PATHS), type: fc.constantFrom(FORM, `${FORM}; charset=utf-8`), auth: fc.option(fc.constant(basic(client.clientId, client.clientSecret)), { nil: undefined }), form: fc.oneof(formBody(client), nearValidForm()) }),
      ).map(({ path, type, auth, form }): Sent => ({
        method: 'POST',
        path,
        headers: { 'content-type': type, ...(auth === undefined ? {} : { authorization: auth }) },
        body: Buffer.from(form, 'utf8'),
      })),
      checkOAuthAnswer,
    );

    property(
      'client authentication with hostile identifiers and secrets (Basic or in the body) fails cleanly',
      fc.constant(null).chain(() =>
        fc.record({
          path: fc.constantFrom(...POST_PATHS),
          id: hostileId(client),
          secret: fc.oneof(fc.constant(encodeURIComponent(client.clientSecret)), hostileId(client)),
          viaBasic: fc.boolean(),
        }),
      ).map(({ path, id, secret, viaBasic }): Sent => {
        const form = 'grant_type=client_credentials&token=x';
        // Basic carries the form-encoded id and secret (RFC 6749 §2.3.1), base64-encoded.
        return viaBasic
          ? { method: 'POST', path, headers: { 'content-type': FORM, authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` }, body: Buffer.from(form) }
          : { method: 'POST', path, headers: { 'content-type': FORM }, body: Buffer.from(`${form}&client_id=${id}&client_secret=${secret}`) };
      }),
      (req, res) => {
        checkOAuthAnswer(req, res);
        expect([400, 401], describeResponse(req, res)).toContain(res.status);
      },
    );

    property(
      'GET /oauth/jwks and the metadata document ignore junk query strings',
      fc.record({ path: fc.constantFrom('/oauth/jwks', '/.well-known/oauth-authorization-server'), query: junkQuery }).map(({ path, query }): Sent => ({ method: 'GET', path: `${path}?${query}`, headers: {} })),
      (req, res) => {
        const context = describeResponse(req, res);
        expect(res.status, context).toBeLessThan(500);
        // Node's HTTP parser may refuse a request target outright (400); otherwise the document is served.
        if (res.status !== 400) {
          expect(res.status, context).toBe(200);
          const doc = JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;
          expect(req.path.startsWith('/oauth/jwks') ? Array.isArray(doc.keys) : doc.issuer === server.url, context).toBe(true);
        }
      },
    );

    // ---- explicit examples ----------------------------------------------------------------------------

    const post = async (form: string, headers: Record<string, string> = {}, path = '/oauth/token'): Promise<Received & { sent: Sent }> => {
      const sent: Sent = { method: 'POST', path, headers: { 'content-type': FORM, ...headers }, body: Buffer.from(form) };
      return { ...(await send(server.url, sent)), sent };
    };
    const json = (res: Received) => JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;

    it('a repeated grant_type is 400 invalid_request', async () => {
      const res = await post('grant_type=client_credentials&grant_type=client_credentials', { authorization: basic(client.clientId, client.clientSecret) });
      expect([res.status, json(res).error]).toStrictEqual([400, 'invalid_request']);
    });

    it('a broken %-escape (%ZZ, a truncated UTF-8 sequence) is 400 invalid_request', async () => {
      for (const form of ['grant_type=client_credentials&scope=%ZZ', 'grant_type=client_%E0%A4credentials', 'grant_type%ZZ=x']) {
        const res = await post(form, { authorization: basic(client.clientId, client.clientSecret) });
        expect([form, res.status, json(res).error]).toStrictEqual([form, 400, 'invalid_request']);
      }
    });

    it('a 2 MiB body is 413 invalid_request', async () => {
      const res = await post(`grant_type=client_credentials&scope=${'a'.repeat(2 * 1024 * 1024)}`, { authorization: basic(client.clientId, client.clientSecret) });
      checkOAuthAnswer(res.sent, res);
      expect([res.status, json(res).error]).toStrictEqual([413, 'invalid_request']);
    });

    it('a body that is not a form is 415 (or 400) invalid_request', async () => {
      for (const type of ['application/json', 'text/plain', 'multipart/form-data; boundary=x']) {
        const res = await post('{"grant_type":"client_credentials"}', { 'content-type': type, authorization: basic(client.clientId, client.clientSecret) });
        expect([type, [400, 415].includes(res.status), json(res).error]).toStrictEqual([type, true, 'invalid_request']);
      }
    });

    it('client_secret_basic and client_secret_post together are 400 invalid_request', async () => {
      const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }).toString();
      for (const path of POST_PATHS) {
        const res = await post(`${form}&token=x`, { authorization: basic(client.clientId, client.clientSecret) }, path);
        expect([path, res.status, json(res).error]).toStrictEqual([path, 400, 'invalid_request']);
      }
    });

    it('an unknown client and a wrong secret get byte-identical 401 bodies', async () => {
      const wrongSecret = `${client.clientSecret.slice(0, -1)}${client.clientSecret.endsWith('A') ? 'B' : 'A'}`;
      for (const path of POST_PATHS) {
        const form = 'grant_type=client_credentials&token=x';
        const unknown = await post(form, { authorization: basic('no-such-client-dev-000000000000', client.clientSecret) }, path);
        const wrong = await post(form, { authorization: basic(client.clientId, wrongSecret) }, path);
        const postUnknown = await post(`${form}&client_id=no-such-client&client_secret=${encodeURIComponent(wrongSecret)}`, {}, path);
        const postWrong = await post(`${form}&client_id=${client.clientId}&client_secret=${encodeURIComponent(wrongSecret)}`, {}, path);
        for (const res of [unknown, wrong, postUnknown, postWrong]) {
          expect(res.status).toBe(401);
          expect(res.headers['www-authenticate']).toMatch(/^Basic /);
          expect(res.body.equals(unknown.body), `${path}: ${res.body.toString()} vs ${unknown.body.toString()}`).toBe(true);
        }
        expect(json(unknown).error).toBe('invalid_client');
      }
    });

    it('a client id no client can have (a NUL byte) is 401 invalid_client, not a 5xx', async () => {
      for (const path of POST_PATHS) {
        const viaBasic = await post('grant_type=client_credentials&token=x', { authorization: basic('a\u0000b', client.clientSecret) }, path);
        const viaPost = await post(`grant_type=client_credentials&token=x&client_id=%00&client_secret=${client.clientSecret}`, {}, path);
        for (const res of [viaBasic, viaPost]) {
          checkOAuthAnswer(res.sent, res);
          expect([path, res.status, json(res).error]).toStrictEqual([path, 401, 'invalid_client']);
        }
      }
    });

    it('the well-formed request these examples vary succeeds', async () => {
      const res = await post('grant_type=client_credentials', { authorization: basic(client.clientId, client.clientSecret) });
      checkOAuthAnswer(res.sent, res);
      expect(res.status).toBe(200);
    });
  });
});
