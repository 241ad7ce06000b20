import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload, type CryptoKey } from 'jose';
import { pino } from 'pino';
import { loadConfig } from '../../server/src/config.js';
import { startServer, type RunningServer } from '../../server/src/serve.js';
import type { TestServer } from '../../server/test/support/test-server.js';
import type { RevocationFeed } from '../src/index.js';

/** A fetch that counts the requests per URL path (and can be told to fail). */
export function countingFetch(base: typeof fetch = globalThis.fetch) {
  const counts = new Map<string, number>();
  const counted: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    counts.set(url.pathname, (counts.get(url.pathname) ?? 0) + 1);
    return base(input, init);
  };
  return { fetch: counted, count: (path: string): number => counts.get(path) ?? 0 };
}

export interface LocalServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** A plain node:http server on 127.0.0.1:0 (or a given port). */
export async function listen(handler: (request: IncomingMessage, response: ServerResponse) => void, port = 0): Promise<LocalServer> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Stops a test server and starts it again on the same port and data directory (a restart). */
export async function restartInPlace(server: TestServer, downtime: () => Promise<void>): Promise<RunningServer> {
  await server.close();
  await downtime();
  return startServer(loadConfig(server.env), pino({ level: 'silent' }));
}

/** An issuer of our own: RFC 8414 metadata and a JWKS of a key the test signs with, counting fetches. */
export async function startFakeIssuer(metadataExtra: Record<string, unknown> = {}) {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  const hits = { metadata: 0, jwks: 0 };
  let issuer = '';
  const server = await listen((request, response) => {
    response.setHeader('content-type', 'application/json');
    if (request.url === '/.well-known/oauth-authorization-server') {
      hits.metadata += 1;
      response.end(JSON.stringify({ issuer, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`, ...metadataExtra }));
    } else if (request.url === '/jwks') {
      hits.jwks += 1;
      response.end(JSON.stringify({ keys: [jwk] }));
    } else {
      response.statusCode = 404;
      response.end('{}');
    }
  });
  issuer = server.url;
  const sign = (claims: JWTPayload, header: { kid?: string; typ?: string; key?: CryptoKey; extra?: Record<string, unknown> } = {}): Promise<string> =>
    new SignJWT({ iss: issuer, sub: 'client-1', aud: 'urn:test', client_id: 'client-1', scope: 'a b', jti: crypto.randomUUID(), ...claims })
      .setProtectedHeader({ ...header.extra, alg: 'ES256', typ: header.typ ?? 'at+jwt', kid: header.kid ?? 'k1' })
      .setIssuedAt()
      .setExpirationTime(typeof claims.exp === 'number' ? claims.exp : '10m')
      .sign(header.key ?? privateKey);
  return { issuer, hits, sign, close: server.close };
}

/** A revocation feed whose verdicts the test sets. */
export function fakeFeed(initial: ReturnType<RevocationFeed['check']> = null) {
  let verdict = initial;
  let resolveReady: () => void = () => undefined;
  const readyPromise = new Promise<void>((resolve) => (resolveReady = resolve));
  const checked: unknown[] = [];
  const feed: RevocationFeed & { set(v: ReturnType<RevocationFeed['check']>): void; makeReady(): void; checked: unknown[]; closed: boolean } = {
    ready: () => readyPromise,
    check(claims) {
      checked.push(claims.jti);
      return verdict;
    },
    cursor: null,
    closed: false,
    close() {
      this.closed = true;
    },
    set(v) {
      verdict = v;
    },
    makeReady: () => resolveReady(),
    checked,
  };
  return feed;
}
