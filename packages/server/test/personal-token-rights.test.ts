import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../src/domain/actor.js';
import { createService } from '../src/domain/catalog/create-service.js';
import { basic, postForm, provisionClient, startTestServer, type ProvisionedClient, type TestServer } from './support/test-server.js';
import { resolveRef } from './support/openapi.js';
import { ADMIN, ADMIN_ENV, api, logIn, type Problem } from './support/portal-client.js';
import { invitationTokenFor, userLoggedIn, type LoggedIn } from './support/team-users.js';
import { inDays } from './support/personal-tokens.js';
import { claimsOf } from './support/users.js';

interface Created {
  id: string;
  scopes: string[];
}
interface Choice {
  name: string;
  service: string | null;
  environments: string[];
  applications: string[];
  default: boolean;
}
interface Choices {
  items: Choice[];
  service_scopes: string;
}

const LEDGER = ['ledger:read', 'ledger:write'];
const aud = (service: string, env: string): string => `urn:latchkey:service:${service}:${env}`;

// A personal token may hold only what its owner may hold. Every escalation is tried over the
// HTTP API, on real sockets: the team is built through the portal (request, approval, DEV and TEST
// registered, an invitation accepted), and its rights are taken away through the portal and the CLI.
describe('a personal access token holds only what its owner may hold', () => {
  let server: TestServer;
  let second: TestServer;
  let introspector: ProvisionedClient;
  let admin: string;
  let olga: LoggedIn;
  let mia: LoggedIn;
  let nora: LoggedIn;
  const APP = `LDG${randomUUID().slice(0, 4).toUpperCase()}`;
  const clients: Record<string, string> = {};

  const grantRoles = async (user: LoggedIn, roles: string[]): Promise<void> => {
    expect((await api(server, 'PUT', `/users/${user.user.id}/roles`, { cookie: admin, body: { roles } })).status).toBe(200);
  };
  const create = (user: LoggedIn, body: Record<string, unknown>) =>
    api<Created & Problem>(server, 'POST', '/me/tokens', { cookie: user.cookie, body: { name: `t-${randomUUID().slice(0, 8)}`, expires_at: inDays(30), ...body } });
  const generate = (user: LoggedIn, id: string) => api<{ token: string } & Problem>(server, 'POST', `/me/tokens/${id}/generate`, { cookie: user.cookie });
  const tokenOf = async (user: LoggedIn, scopes: string[]): Promise<{ id: string; token: string }> => {
    const created = await create(user, { scopes });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const generated = await generate(user, created.body.id);
    expect(generated.status, JSON.stringify(generated.body)).toBe(200);
    return { id: created.body.id, token: generated.body.token };
  };
  const active = async (token: string, at = server): Promise<boolean> => {
    const response = await postForm(`${at.url}/oauth/introspect`, { token }, { authorization: basic(introspector.clientId, introspector.clientSecret) });
    return ((await response.json()) as { active: boolean }).active;
  };
  const bearerStatus = async (token: string, at = server): Promise<number> => (await api(at, 'GET', '/me/tokens', { bearer: token })).status;
  const fieldsOf = (problem: Problem): string[] => (problem.fields ?? []).map((f) => f.field);

  beforeAll(async () => {
    server = await startTestServer({ env: ADMIN_ENV });
    second = await startTestServer({ shareWith: server });
    const rt = server.runtime;
    for (const [key, scopes] of [['ledger', LEDGER], ['email', ['email:send', 'email:read']], ['docs', ['docs:read']]] as const) {
      await createService({ storage: rt.storage, clock: rt.clock, environments: rt.config.environments }, { actor: CLI_ACTOR, key, name: key, scopes: scopes.map((name) => ({ name, description: '' })) });
    }
    // The resource server that introspects: an application of its own, with no members.
    introspector = await provisionClient(rt, { serviceKeys: { docs: ['docs:read'] } });
    admin = await logIn(server, ADMIN.email, ADMIN.password);
    [olga, mia, nora] = [await userLoggedIn(server, 'Olga'), await userLoggedIn(server, 'Mia'), await userLoggedIn(server, 'Nora')];
    for (const user of [olga, mia, nora]) await grantRoles(user, ['pat']);

    // APP has ledger (read and write) and email:send in DEV, ledger:read only in TEST, and no PROD.
    expect((await api(server, 'POST', '/applications', { cookie: olga.cookie, body: { acronym: APP, name: 'Ledger team' } })).status).toBe(201);
    expect((await api(server, 'POST', `/applications/${APP}/approval`, { cookie: admin, body: { decision: 'approve' } })).status).toBe(200);
    for (const [env, services] of [
      ['dev', [{ key: 'ledger' }, { key: 'email', scopes: ['email:send'] }]],
      ['test', [{ key: 'ledger', scopes: ['ledger:read'] }]],
    ] as const) {
      const registered = await api<{ client_id: string }>(server, 'POST', `/applications/${APP}/environments/${env}`, { cookie: olga.cookie, body: { services } });
      expect(registered.status, JSON.stringify(registered.body)).toBe(201);
      clients[env] = registered.body.client_id;
    }
    expect((await api(server, 'POST', `/applications/${APP}/invitations`, { cookie: olga.cookie, body: { email: mia.user.email } })).status).toBe(201);
    const invitation = await invitationTokenFor(server, mia.user.email, APP);
    expect((await api(server, 'POST', `/invitations/${invitation}/accept`, { cookie: mia.cookie })).status).toBe(200);
  });
  afterAll(async () => {
    await second?.dispose();
    await server?.dispose();
  });

  it('a user in no application gets no service scope: 400 naming scopes[i] and why; the default is portal:read; the list offers portal scopes only and says why', async () => {
    const refused = await create(nora, { scopes: ['portal:read', 'ledger:write'] });
    expect(refused.status).toBe(400);
    expect(fieldsOf(refused.body)).toStrictEqual(['scopes[1]']);
    expect(refused.body.fields?.[0]?.message).toContain('you are not a member of an application with ledger:write in any environment');
    const byDefault = await create(nora, {});
    expect(byDefault.status).toBe(201);
    expect(byDefault.body.scopes).toStrictEqual(['portal:read']);
    const choices = await api<Choices>(server, 'GET', '/me/tokens/scopes', { cookie: nora.cookie });
    expect(choices.status).toBe(200);
    expect(choices.body.items.map((c) => c.name)).toStrictEqual(['portal:read', 'portal:write']);
    expect(choices.body.service_scopes).toBe('not_a_member');
  });

  it('a member gets only what the application was granted: another scope of a granted service, or an ungranted service, is a 400', async () => {
    for (const [scopes, field] of [
      [['email:send', 'email:read'], 'scopes[1]'],
      [['docs:read'], 'scopes[0]'],
      [['ledger:read', 'no:such-scope'], 'scopes[1]'],
    ] as const) {
      const refused = await create(mia, { scopes });
      expect(refused.status, scopes.join(' ')).toBe(400);
      expect(fieldsOf(refused.body)).toStrictEqual([field]);
    }
    const choices = await api<Choices>(server, 'GET', '/me/tokens/scopes', { cookie: mia.cookie });
    expect(choices.body.service_scopes).toBe('available');
    expect(choices.body.items.map((c) => [c.name, c.service, c.environments, c.applications, c.default])).toStrictEqual([
      ['portal:read', null, [], [], true],
      ['portal:write', null, [], [], false],
      ['email:send', 'email', ['dev'], [APP], false],
      ['ledger:read', 'ledger', ['dev', 'test'], [APP], true],
      ['ledger:write', 'ledger', ['dev'], [APP], false],
    ]);
    expect((await create(mia, {})).body.scopes).toStrictEqual(['portal:read', 'ledger:read']);
  });

  it('aud names a service only in the environments where the member holds all of the token\'s scopes of it, never PROD', async () => {
    const reader = await tokenOf(mia, ['ledger:read']);
    expect(claimsOf(reader.token).aud).toStrictEqual([aud('ledger', 'dev'), aud('ledger', 'test')]);
    const writer = await tokenOf(mia, ['ledger:read', 'ledger:write']);
    expect(claimsOf(writer.token).aud).toStrictEqual([aud('ledger', 'dev')]);
    const mixed = await tokenOf(mia, ['portal:read', 'email:send', 'ledger:read']);
    expect(claimsOf(mixed.token).aud).toStrictEqual([server.runtime.config.issuer, aud('email', 'dev'), aud('ledger', 'dev'), aud('ledger', 'test')]);
    for (const { token } of [reader, writer, mixed]) {
      expect(JSON.stringify(claimsOf(token).aud)).not.toContain(':prod');
      expect(await active(token)).toBe(true);
    }
  });

  it('removing the owner from the team makes the token inactive at introspection and refused as a bearer at once, in both instances; generate is a 400', async () => {
    const bea = await userLoggedIn(server, 'Bea');
    await grantRoles(bea, ['pat']);
    expect((await api(server, 'POST', `/applications/${APP}/invitations`, { cookie: olga.cookie, body: { email: bea.user.email } })).status).toBe(201);
    expect((await api(server, 'POST', `/invitations/${await invitationTokenFor(server, bea.user.email, APP)}/accept`, { cookie: bea.cookie })).status).toBe(200);
    const service = await tokenOf(bea, ['portal:read', 'ledger:write']);
    const portalOnly = await tokenOf(bea, ['portal:read']);
    expect(await active(service.token, second)).toBe(true);
    expect(await bearerStatus(service.token, second)).toBe(200);

    expect((await api(server, 'DELETE', `/applications/${APP}/members/${bea.user.id}`, { cookie: olga.cookie })).status).toBe(204);
    for (const at of [server, second]) {
      expect(await active(service.token, at)).toBe(false);
      expect(await bearerStatus(service.token, at)).toBe(401);
      // Only a token beyond the owner's rights goes: one with nothing from the team stays.
      expect(await active(portalOnly.token, at)).toBe(true);
    }
    const again = await generate(bea, service.id);
    expect(again.status).toBe(400);
    expect(fieldsOf(again.body)).toStrictEqual(['scopes[1]']);
    expect(again.body.detail).toContain('not a member of an application with ledger:write');
  });

  it('the grant going (a scope dropped from the service, the client disabled) makes tokens relying on it inactive at once; the token is inactive as a whole', async () => {
    const writer = await tokenOf(olga, ['ledger:write']);
    const reader = await tokenOf(olga, ['ledger:read']);
    const patch = (scopes: string[]) => api(server, 'PATCH', '/services/ledger', { cookie: admin, body: { scopes: scopes.map((name) => ({ name, description: '' })) } });
    expect((await patch(['ledger:read'])).status).toBe(200);
    expect(await active(writer.token, second)).toBe(false);
    expect(await bearerStatus(writer.token, second)).toBe(401);
    expect(await active(reader.token, second)).toBe(true);
    expect((await generate(olga, writer.id)).status).toBe(400);
    expect((await patch(LEDGER)).status).toBe(200);
    expect(await active(writer.token, second)).toBe(true);

    // The DEV client disabled: ledger:read is still held in TEST, but the token names DEV too.
    expect((await server.cli(['client', 'disable', clients.dev ?? ''])).code).toBe(0);
    expect(await active(reader.token, second)).toBe(false);
    expect(await bearerStatus(reader.token)).toBe(401);
    const regenerated = await generate(olga, reader.id);
    expect(regenerated.status).toBe(200);
    expect(claimsOf(regenerated.body.token).aud).toStrictEqual([aud('ledger', 'test')]);
    expect(await active(regenerated.body.token)).toBe(true);
    expect((await server.cli(['client', 'enable', clients.dev ?? ''])).code).toBe(0);
    expect(await active(writer.token)).toBe(true);
  });

  it('losing the pat role makes every token of the owner inactive and refused, and creation a 403', async () => {
    const { token } = await tokenOf(mia, ['ledger:read']);
    await grantRoles(mia, ['token_admin']);
    expect(await active(token, second)).toBe(false);
    expect(await bearerStatus(token, second)).toBe(401);
    expect((await create(mia, { scopes: ['ledger:read'] })).status).toBe(403);
    expect((await api(server, 'GET', '/me/tokens/scopes', { cookie: mia.cookie })).status).toBe(403);
    await grantRoles(mia, ['pat']);
    expect(await active(token, second)).toBe(true);
  });

  it('administrators get no way around it: token_admin and admin roles add no service scope, and nobody generates or replaces another user\'s record', async () => {
    const tad = await userLoggedIn(server, 'Tad');
    await grantRoles(tad, ['token_admin', 'pat']);
    const byTokenAdmin = await create(tad, { scopes: ['ledger:write'] });
    expect(byTokenAdmin.status).toBe(400);
    expect(fieldsOf(byTokenAdmin.body)).toStrictEqual(['scopes[0]']);
    // A system administrator may act on any application in the portal, but is not its member.
    const byAdmin = await api<Problem>(server, 'POST', '/me/tokens', { cookie: admin, body: { name: 'admin-ledger', expires_at: inDays(5), scopes: ['portal:write', 'ledger:read'] } });
    expect(byAdmin.status).toBe(400);
    expect(fieldsOf(byAdmin.body)).toStrictEqual(['scopes[1]']);

    // With a portal:write token of their own, still the same rule.
    const tadWriter = await tokenOf(tad, ['portal:write']);
    const viaBearer = await api<Problem>(server, 'POST', '/me/tokens', { bearer: tadWriter.token, body: { name: 'via-bearer', expires_at: inDays(5), scopes: ['ledger:write'] } });
    expect(viaBearer.status).toBe(400);
    expect(fieldsOf(viaBearer.body)).toStrictEqual(['scopes[0]']);

    const olgas = await create(olga, { scopes: ['ledger:write'] });
    expect(olgas.status).toBe(201);
    expect((await api(server, 'POST', `/me/tokens/${olgas.body.id}/generate`, { bearer: tadWriter.token })).status).toBe(404);
    expect((await api(server, 'POST', `/me/tokens/${olgas.body.id}/generate`, { cookie: tad.cookie })).status).toBe(404);
    const replacing = await create(tad, { scopes: ['portal:read'], replaces: olgas.body.id });
    expect(replacing.status).toBe(404);
    expect((await api(server, 'GET', `/tokens?user_id=${olga.user.id}`, { cookie: tad.cookie })).status).toBe(200);
    expect((await api(server, 'DELETE', `/tokens/${olgas.body.id}`, { bearer: tadWriter.token })).status).toBe(200);
  });

  it('describes the scope list in the OpenAPI document', async () => {
    const doc = await api<{ paths: Record<string, { get?: { responses: Record<string, { content: Record<string, { schema: { properties: Record<string, unknown> } }> }> } }> }>(server, 'GET', '/api/openapi.json');
    const schema = resolveRef(doc.body, doc.body.paths['/api/v1/me/tokens/scopes']?.get?.responses['200']?.content['application/json']?.schema);
    expect(Object.keys(schema?.properties ?? {})).toEqual(expect.arrayContaining(['items', 'service_scopes']));
    expect(JSON.stringify(schema)).toContain('environments');
  });
});
