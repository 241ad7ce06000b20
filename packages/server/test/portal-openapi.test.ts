import Fastify from 'fastify';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerPortalRoutes } from '../src/http/portal/portal-routes.js';
import { httpDepsOf } from '../src/main.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { ADMIN_ENV, api } from './support/portal-client.js';

interface Operation {
  parameters?: { name: string; in: string; schema?: object }[];
  requestBody?: { content: Record<string, { schema: object }> };
  responses?: Record<string, { content?: Record<string, { schema: object }> }>;
}
interface OpenApi {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object> };
}

/** Every route the portal scope registers, as `METHOD /api/v1/path/{param}` (what OpenAPI must list). */
async function portalRoutes(server: TestServer): Promise<string[]> {
  const app = Fastify();
  const routes: string[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routes.push(`${method} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
    }
  });
  await registerPortalRoutes(app, httpDepsOf(server.runtime));
  await app.ready();
  await app.close();
  return [...new Set(routes)].sort();
}

describe('the OpenAPI document', () => {
  let server: TestServer;
  let doc: OpenApi;
  beforeAll(async () => {
    server = await startTestServer({ env: ADMIN_ENV });
    const response = await api<OpenApi>(server, 'GET', '/api/openapi.json');
    expect(response.status).toBe(200);
    doc = response.body;
  });
  afterAll(() => server.dispose());

  it('is OpenAPI 3.1 and lists every portal route with its method', async () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBeTruthy();
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    const registered = await portalRoutes(server);
    expect(registered.length).toBeGreaterThan(5);
    expect(registered.filter((r) => !documented.includes(r))).toEqual([]);
  });

  it('declares every path parameter and gives every operation responses with compilable schemas', () => {
    const ajv = new Ajv({ strict: false, validateFormats: false });
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method} ${path}`;
        for (const name of [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])) {
          expect(op.parameters?.some((p) => p.in === 'path' && p.name === name), `${where} declares {${name}}`).toBe(true);
        }
        if (!path.startsWith('/api/v1/')) continue;
        expect(Object.keys(op.responses ?? {}).length, `${where} has responses`).toBeGreaterThan(0);
        const schemas = [
          ...Object.values(op.requestBody?.content ?? {}).map((c) => c.schema),
          ...Object.values(op.responses ?? {}).flatMap((r) => Object.values(r.content ?? {}).map((c) => c.schema)),
          ...(op.parameters ?? []).flatMap((p) => (p.schema ? [p.schema] : [])),
        ];
        // Bodies are $refs into components.schemas: compile each with the components beside it.
        for (const schema of schemas) expect(() => ajv.compile({ ...schema, components: doc.components }), where).not.toThrow();
      }
    }
  });

  it('is rendered for people at /docs', async () => {
    const page = await fetch(`${server.url}/docs/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
  });
});
