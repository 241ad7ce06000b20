import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type NextFunction, type Request, type Response as ExpressResponse } from 'express';
import { expressjwt, type GetVerificationKey, type Request as JwtRequest } from 'express-jwt';
import jwksRsa from 'jwks-rsa';
import * as oidc from 'openid-client';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { provisionClient, type ProvisionedClient, type TestServer } from '../support/test-server.js';

/** The audience Latchkey puts in a token for a service in an environment. */
export function audienceOf(service: string, env = 'dev'): string {
  return `urn:latchkey:service:${service}:${env}`;
}

export const EMAIL_DEV = audienceOf('email');

/**
 * provisionClient, then the change feed read at once: the running server caches the service catalog until
 * the feed reports a change, and a grant of a service it has not seen yet would be left out of tokens.
 */
export async function provision(server: TestServer, input: Parameters<typeof provisionClient>[1] = {}): Promise<ProvisionedClient> {
  const client = await provisionClient(server.runtime, input);
  await server.runtime.syncChanges();
  return client;
}

export function jwksUrl(server: TestServer): URL {
  return new URL('/oauth/jwks', server.url);
}

/** The JWKS as published right now, and the cache lifetime the server allows for it (seconds). */
export async function fetchJwks(server: TestServer): Promise<{ jwks: JSONWebKeySet; kids: string[]; maxAge: number }> {
  const response = await fetch(jwksUrl(server));
  const jwks = (await response.json()) as JSONWebKeySet;
  const maxAge = Number(/max-age=(\d+)/.exec(response.headers.get('cache-control') ?? '')?.[1] ?? Number.NaN);
  return { jwks, kids: jwks.keys.map((k) => k.kid ?? ''), maxAge };
}

export function kidOf(token: string): string {
  const { kid } = decodeProtectedHeader(token);
  if (!kid) throw new Error('token without a kid');
  return kid;
}

/** Rewrites claims in the payload while keeping the original header and signature. */
export function tamper(token: string, changes: Record<string, unknown>): string {
  const [header, , signature] = token.split('.');
  const payload = Buffer.from(JSON.stringify({ ...decodeJwt(token), ...changes })).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

/** What an RFC 9068 resource server checks with jose: signature, `typ: at+jwt`, issuer, audience, expiry. */
export function joseVerify(server: TestServer, keys: JWTVerifyGetKey, token: string, audience = EMAIL_DEV) {
  return jwtVerify(token, keys, { typ: 'at+jwt', issuer: server.url, audience, algorithms: ['ES256'] });
}

export function remoteJwks(server: TestServer, options: Parameters<typeof createRemoteJWKSet>[1] = {}): JWTVerifyGetKey {
  return createRemoteJWKSet(jwksUrl(server), options);
}

export interface RecordedRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * openid-client's Configuration from the server's metadata, recording every request it makes: RFC 8414's
 * document by default, or with `algorithm: 'oidc'` (the library's own default) OpenID Connect Discovery's.
 */
export async function discoverClient(
  server: TestServer,
  client: ProvisionedClient,
  options: { method?: 'basic' | 'post'; secret?: string; algorithm?: 'oauth2' | 'oidc' } = {},
): Promise<{ config: oidc.Configuration; requests: RecordedRequest[] }> {
  const secret = options.secret ?? client.clientSecret;
  const auth = options.method === 'post' ? oidc.ClientSecretPost(secret) : oidc.ClientSecretBasic(secret);
  const requests: RecordedRequest[] = [];
  const recordingFetch: oidc.CustomFetch = (url, init) => {
    requests.push({ url, method: init.method, headers: { ...init.headers }, body: init.body === undefined || init.body === null ? '' : String(init.body) });
    return fetch(url, init);
  };
  const config = await oidc.discovery(new URL(server.url), client.clientId, secret, auth, {
    algorithm: options.algorithm ?? 'oauth2',
    execute: [oidc.allowInsecureRequests],
    [oidc.customFetch]: recordingFetch,
  });
  return { config, requests };
}

/** Calls the resource server with a bearer token: its status and body. */
export async function callResource(url: string, token?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export interface ResourceServer {
  /** GET here with a bearer token: 200 with `{auth}` (the verified claims) or 401 with `{code, message}`. */
  readonly url: string;
  /** How many times jwks-rsa fetched the JWKS. */
  jwksFetches(): number;
  close(): Promise<void>;
}

/** An Express 5 API protected by express-jwt + jwks-rsa (cached), the way most Node resource servers do it. */
export async function startResourceServer(server: TestServer, audience = EMAIL_DEV): Promise<ResourceServer> {
  let fetches = 0;
  const secret = jwksRsa.expressJwtSecret({
    jwksUri: jwksUrl(server).href,
    cache: true,
    rateLimit: false,
    fetcher: async (uri: string) => {
      fetches++;
      return (await fetch(uri)).json() as Promise<{ keys: unknown }>;
    },
  }) as GetVerificationKey;
  const app = express();
  app.get('/messages', expressjwt({ secret, algorithms: ['ES256'], audience, issuer: server.url }), (req: JwtRequest, res: ExpressResponse) => {
    res.json({ auth: req.auth });
  });
  app.use((error: { status?: number; code?: string; message?: string }, _req: Request, res: ExpressResponse, _next: NextFunction) => {
    res.status(error.status ?? 500).json({ code: error.code ?? 'error', message: error.message ?? '' });
  });
  const listening: Server = await new Promise((resolve, reject) => {
    const http = app.listen(0, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(http)));
  });
  const { port } = listening.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/messages`,
    jwksFetches: () => fetches,
    close: () =>
      new Promise((resolve, reject) => {
        listening.close((error) => (error ? reject(error) : resolve()));
        listening.closeAllConnections();
      }),
  };
}
