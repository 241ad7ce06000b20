import { createConfig, lintFromString } from '@redocly/openapi-core';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.js';

interface Media {
  schema?: { $ref?: string };
}
interface Operation {
  operationId?: string;
  security?: Record<string, string[]>[];
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { content?: Record<string, Media> }>;
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }>; securitySchemes: Record<string, Record<string, string>> };
}

const isPortal = (path: string): boolean => path.startsWith('/api/v1/') && path !== '/api/v1/access-token';
const OAUTH_PATHS = ['/oauth/token', '/oauth/introspect', '/oauth/revoke', '/oauth/jwks', '/.well-known/oauth-authorization-server'];

/** `[where, status, mediaType, media]` for every request and response body of every operation. */
function bodies(doc: OpenApi): [string, string, string, Media][] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).flatMap(([method, op]) => [
      ...Object.entries(op.requestBody?.content ?? {}).map(([type, media]): [string, string, string, Media] => [`${method} ${path}`, 'request', type, media]),
      ...Object.entries(op.responses).flatMap(([status, response]) =>
        Object.entries(response.content ?? {}).map(([type, media]): [string, string, string, Media] => [`${method} ${path}`, status, type, media]),
      ),
    ]),
  );
}

/** The member names of `components.schemas` and every body type of `operations` in openapi-typescript's output. */
function generatedTypes(source: string): { schemaNames: Set<string>; bodyTypes: Map<string, string> } {
  const file = ts.createSourceFile('api.d.ts', source, ts.ScriptTarget.Latest, true);
  const interfaces = new Map(file.statements.filter(ts.isInterfaceDeclaration).map((i) => [i.name.text, i]));
  const members = (node: ts.Node | undefined): ts.PropertySignature[] =>
    node && (ts.isInterfaceDeclaration(node) || ts.isTypeLiteralNode(node)) ? node.members.filter(ts.isPropertySignature) : [];
  const nameOf = (p: ts.PropertySignature): string => (ts.isStringLiteral(p.name) || ts.isIdentifier(p.name) ? p.name.text : p.name.getText(file));
  const schemaNames = new Set(members(members(interfaces.get('components')).find((p) => nameOf(p) === 'schemas')?.type).map(nameOf));
  const bodyTypes = new Map<string, string>();
  const visit = (node: ts.Node, where: string): void => {
    if (ts.isPropertySignature(node) && nameOf(node) === 'content') {
      for (const media of members(node.type)) bodyTypes.set(`${where} ${nameOf(media)}`, media.type?.getText(file) ?? '');
      return;
    }
    const next = ts.isPropertySignature(node) ? `${where}/${nameOf(node)}` : where;
    ts.forEachChild(node, (child) => visit(child, next));
  };
  for (const operation of members(interfaces.get('operations'))) visit(operation, nameOf(operation));
  return { schemaNames, bodyTypes };
}

describe('the OpenAPI document as a contract for generated clients', () => {
  let server: TestServer;
  let text: string;
  let doc: OpenApi;
  beforeAll(async () => {
    server = await startTestServer();
    text = await (await fetch(`${server.url}/api/openapi.json`)).text();
    doc = JSON.parse(text) as OpenApi;
  });
  afterAll(() => server?.dispose());

  it('gives every operation a unique camelCase operationId', () => {
    const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect(ids.length).toBeGreaterThan(40);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-zA-Z0-9]*$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.paths['/api/v1/applications/{acronym}/environments/{env}/secret']?.post?.operationId).toBe('regenerateEnvironmentSecret');
    expect(doc.paths['/oauth/token']?.post?.operationId).toBe('issueToken');
  });

  it('refers every request and response body to a named schema in components.schemas', () => {
    for (const [where, status, type, media] of bodies(doc)) {
      const ref = media.schema?.$ref ?? '';
      expect(ref, `${where} ${status} ${type}`).toMatch(/^#\/components\/schemas\/[A-Za-z0-9]+$/);
      expect(doc.components.schemas[ref.split('/').pop() ?? ''], ref).toBeDefined();
    }
  });

  it('declares portal errors as application/problem+json with the one Problem schema, fields included', () => {
    const portalErrors = bodies(doc).filter(([where, status]) => isPortal(where.split(' ')[1] ?? '') && /^[45]/.test(status));
    expect(portalErrors.length).toBeGreaterThan(50);
    for (const [where, status, type, media] of portalErrors) {
      expect(`${where} ${status} ${type} ${media.schema?.$ref}`).toBe(`${where} ${status} application/problem+json #/components/schemas/Problem`);
    }
    expect(Object.keys(doc.components.schemas.Problem?.properties ?? {})).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail', 'fields']));
  });

  it('documents the OAuth endpoints: form requests, RFC response schemas, RFC 6749 errors, the client authentication scheme', () => {
    const ops = (['post', 'post', 'post', 'get', 'get'] as const).map((method, i) => doc.paths[OAUTH_PATHS[i] ?? '']?.[method]);
    const [token, introspect, revoke, jwks, metadata] = ops;
    for (const op of [token, introspect, revoke]) {
      expect(Object.keys(op?.requestBody?.content ?? {})).toEqual(['application/x-www-form-urlencoded']);
      expect(op?.security).toEqual([{ clientSecretBasic: [] }, {}]);
      expect(op?.responses['401']?.content?.['application/json']?.schema?.$ref).toBe('#/components/schemas/OAuthError');
    }
    const refOf = (op: Operation | undefined): string | undefined => op?.responses['200']?.content?.['application/json']?.schema?.$ref;
    expect([token, introspect, jwks, metadata].map(refOf)).toEqual(
      ['TokenResponse', 'IntrospectionResponse', 'JsonWebKeySet', 'AuthorizationServerMetadata'].map((n) => `#/components/schemas/${n}`),
    );
    expect(doc.components.schemas.OAuthError?.required).toEqual(['error', 'error_description']);
    expect(doc.components.securitySchemes).toMatchObject({
      clientSecretBasic: { type: 'http', scheme: 'basic' },
      bearer: { type: 'http', scheme: 'bearer' },
      session: { type: 'apiKey', in: 'cookie' },
    });
  });

  it('passes the Redocly linter with its recommended rules, warnings included', async () => {
    // One rule off: the probes and the discovery documents (RFC 8414, RFC 7517) have no client error to declare.
    const config = await createConfig({ extends: ['recommended'], rules: { 'operation-4xx-response': 'off' } });
    const problems = await lintFromString({ source: text, absoluteRef: 'openapi.json', config });
    expect(problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? ''}`)).toEqual([]);
  });

  it('yields a named openapi-typescript type for every request and response body', async () => {
    const source = astToString(await openapiTS(text));
    const { schemaNames, bodyTypes } = generatedTypes(source);
    expect(bodyTypes.size).toBeGreaterThanOrEqual(bodies(doc).length);
    for (const [where, type] of bodyTypes) {
      const name = /^components\["schemas"\]\["(\w+)"\]$/.exec(type)?.[1];
      expect(name, `${where}: ${type}`).toBeDefined();
      expect(schemaNames.has(name ?? ''), `${where}: ${name}`).toBe(true);
    }
    for (const name of ['Problem', 'Application', 'Credential', 'TokenRequest', 'TokenResponse', 'OAuthError', 'TokenApiResponse', 'AccessTokenError']) {
      expect(schemaNames.has(name), name).toBe(true);
    }
  });
});
