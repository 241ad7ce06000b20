import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWebRoutes } from '../src/http/web-routes.js';

const settings = {
  issuer: 'http://127.0.0.1:1',
  environments: ['dev', 'test', 'prod'],
  approvalEnvironments: [],
  dialects: ['oauth2', 'access-token'],
  patMaxDays: 30,
  maxSecretGraceSeconds: 3600,
};

async function serve(root: string): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify();
  // Stand-ins for routes the portal must never shadow, with their own 404 handler like the portal API.
  await app.register(
    async (api) => {
      api.setNotFoundHandler((_request, reply) => reply.code(404).type('application/problem+json').send({ title: 'Not Found' }));
      api.get('/session', () => ({ user: null }));
    },
    { prefix: '/api/v1' },
  );
  app.post('/oauth/token', () => ({ access_token: 'x' }));
  app.get('/healthz', () => ({ status: 'ok' }));
  await app.register(async (scope) => registerWebRoutes(scope, { root, settings }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url };
}

describe('the web portal served from the same origin', () => {
  const root = mkdtempSync(join(tmpdir(), 'latchkey-web-'));
  let built: { app: FastifyInstance; url: string };
  let missing: { app: FastifyInstance; url: string };

  beforeAll(async () => {
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><head><title>portal</title></head>');
    writeFileSync(join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
    built = await serve(root);
    missing = await serve(join(root, 'nowhere'));
  });
  afterAll(async () => {
    await built.app.close();
    await missing.app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('answers every client route with the page, never cached', async () => {
    for (const path of ['/', '/login', '/applications/ACR', '/invitations/tok_123', '/tokens/new?replace=7', '/admin/audit']) {
      const response = await fetch(built.url + path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(await response.text()).toContain('<title>portal</title>');
    }
  });

  it('tells the page the server settings in a meta element (the CSP allows no inline script)', async () => {
    const page = await (await fetch(`${built.url}/applications`)).text();
    const content = /<meta name="latchkey-settings" content="([^"]*)">/.exec(page)?.[1] ?? '';
    expect(JSON.parse(content.replace(/&quot;/g, '"').replace(/&amp;/g, '&'))).toEqual(settings);
  });

  it('serves hashed assets as immutable', async () => {
    const response = await fetch(`${built.url}/assets/index-abc123.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/javascript');
    expect(response.headers.get('cache-control')).toContain('immutable');
    expect(await response.text()).toBe('console.log(1)');
  });

  it('refuses unknown assets and paths that climb out of assets/', async () => {
    for (const path of ['/assets/nope.js', '/assets/..%2Findex.html', '/assets/.hidden.js', '/assets/index-abc123.exe']) {
      const response = await fetch(built.url + path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type')).not.toContain('text/html');
    }
  });

  it('never shadows the API, OAuth and operations routes', async () => {
    const api = await fetch(`${built.url}/api/v1/unknown`);
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
    expect((await fetch(`${built.url}/api/v1/session`)).status).toBe(200);
    expect(await (await fetch(`${built.url}/oauth/token`, { method: 'POST' })).json()).toEqual({ access_token: 'x' });
    expect(await (await fetch(`${built.url}/healthz`)).json()).toEqual({ status: 'ok' });
    for (const path of ['/.well-known/unknown', '/docs', '/Token', '/metrics', '/oauth/unknown']) {
      const response = await fetch(built.url + path);
      expect(response.headers.get('content-type') ?? '', path).not.toContain('text/html');
    }
  });

  it('still starts without a build and says so at /', async () => {
    const response = await fetch(`${missing.url}/`);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run build');
    expect((await fetch(`${missing.url}/healthz`)).status).toBe(200);
  });
});
