import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { provisionClient, startTestServer, tokenFor, type ProvisionedClient, type TestServer } from '../../server/test/support/test-server.js';
import { createPrincipalResolver, createVerifier, principalOf, type Principal, type Verifier } from '../src/index.js';
import { latchkeyExpress, requireScopes as expressScopes } from '../src/adapters/express.js';
import { latchkeyFastify, requireScopes as fastifyScopes } from '../src/adapters/fastify.js';

const EMAIL = 'urn:latchkey:service:email:dev';

describe('the Express and Fastify adapters over a real socket', () => {
  let latchkey: TestServer;
  let client: ProvisionedClient;
  let verifier: Verifier;
  let full: string;
  let readOnly: string;
  const bases: Record<string, string> = {};
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    latchkey = await startTestServer();
    client = await provisionClient(latchkey.runtime, { acronym: 'SDKADAPT' });
    full = await tokenFor(latchkey, client);
    readOnly = await tokenFor(latchkey, client, { scope: 'email:read' });
    verifier = createVerifier({ issuer: latchkey.url, audience: EMAIL });

    const app = express();
    app.use(latchkeyExpress(verifier));
    app.get('/me', (req, res) => {
      res.json({ sub: principalOf(req).subject });
    });
    app.post('/send', expressScopes('email:send'), (_req, res) => {
      res.json({ sent: true });
    });
    const expressServer = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => expressServer.once('listening', resolve));
    bases.express = `http://127.0.0.1:${(expressServer.address() as AddressInfo).port}`;
    closers.push(() => new Promise((resolve) => expressServer.close(() => resolve())));

    const fastify: FastifyInstance = Fastify();
    fastify.decorateRequest('principal', null);
    fastify.addHook('preHandler', latchkeyFastify(verifier));
    fastify.get('/me', async (request) => ({ sub: (request as unknown as { principal: Principal }).principal.subject }));
    fastify.post('/send', { preHandler: fastifyScopes('email:send') }, async () => ({ sent: true }));
    bases.fastify = await fastify.listen({ port: 0, host: '127.0.0.1' });
    closers.push(() => fastify.close());
  });
  afterAll(async () => {
    await Promise.all(closers.map((close) => close()));
    await latchkey.dispose();
  });

  const call = (base: string, path: string, authorization?: string) =>
    fetch(`${base}${path}`, { method: path === '/send' ? 'POST' : 'GET', headers: authorization ? { authorization } : {} });

  for (const framework of ['express', 'fastify'] as const) {
    describe(framework, () => {
      it('puts the principal on the request', async () => {
        const response = await call(bases[framework]!, '/me', `Bearer ${full}`);
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ sub: client.clientId });
      });

      it('answers 401 with a bare Bearer challenge when there is no token', async () => {
        const response = await call(bases[framework]!, '/me');
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe(`Bearer realm="${EMAIL}"`);
        expect(await response.json()).toEqual({ error: 'missing_token', error_description: expect.stringMatching(/Authorization: Bearer/) });
      });

      it('answers 400 invalid_request for a malformed Authorization header', async () => {
        const response = await call(bases[framework]!, '/me', 'Bearer two tokens');
        expect(response.status).toBe(400);
        expect(response.headers.get('www-authenticate')).toMatch(/error="invalid_request"/);
      });

      it('answers 401 invalid_token for a bad token, with the RFC 6750 header and JSON body', async () => {
        const response = await call(bases[framework]!, '/me', `Bearer ${full.slice(0, -4)}AAAA`);
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="[^"]+", error="invalid_token", error_description="[^"]+"$/);
        expect(await response.json()).toEqual({ error: 'invalid_token', error_description: expect.any(String) });
      });

      it('guards a route by scope: 403 insufficient_scope naming it, 200 with it', async () => {
        const refused = await call(bases[framework]!, '/send', `Bearer ${readOnly}`);
        expect(refused.status).toBe(403);
        expect(refused.headers.get('www-authenticate')).toBe(
          `Bearer realm="${EMAIL}", error="insufficient_scope", error_description="the token lacks the scope email:send", scope="email:send"`,
        );
        expect(await refused.json()).toEqual({ error: 'insufficient_scope', error_description: 'the token lacks the scope email:send' });
        const allowed = await call(bases[framework]!, '/send', `Bearer ${full}`);
        expect(allowed.status).toBe(200);
        expect(await allowed.json()).toEqual({ sent: true });
      });
    });
  }

  it('the plain resolver takes any { headers }, WHATWG Headers included', async () => {
    const principalOf = createPrincipalResolver(verifier, { requiredScopes: ['email:read'] });
    await expect(principalOf({ headers: new Headers({ authorization: `Bearer ${readOnly}` }) })).resolves.toMatchObject({ subject: client.clientId });
    await expect(principalOf({ headers: { authorization: `bearer ${full}` } })).resolves.toBeDefined();
    await expect(principalOf({ headers: {} })).rejects.toMatchObject({ code: 'missing_token', status: 401 });
    await expect(principalOf({ headers: { authorization: 'Basic abc' } })).rejects.toMatchObject({ code: 'missing_token' });
  });
});
