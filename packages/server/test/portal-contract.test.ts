import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES as CONTRACT_ROLES, type ApplicationListItemJson, type Paged } from '@latchkey/contract';
import { ROLES } from '../src/domain/users/user.js';
import { ACRONYM } from '../src/domain/applications/application.js';
import { ACRONYM_PATTERN } from '@latchkey/contract';
import { createService } from '../src/domain/catalog/create-service.js';
import { CLI_ACTOR } from '../src/domain/actor.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { ADMIN, ADMIN_ENV, api, logIn, type Problem } from './support/portal-client.js';
import { userLoggedIn, type LoggedIn } from './support/team-users.js';

describe('the portal contract and the domain agree', () => {
  it('names the same roles and the same acronym rule', () => {
    expect([...CONTRACT_ROLES]).toEqual([...ROLES]);
    expect(ACRONYM_PATTERN).toBe(ACRONYM.source);
  });
});

describe('the portal API as the contract describes it', () => {
  let server: TestServer;
  let admin: string;
  let ada: LoggedIn;

  beforeAll(async () => {
    server = await startTestServer({ env: { ...ADMIN_ENV, LATCHKEY_APPROVAL_ENVIRONMENTS: 'test' } });
    const rt = server.runtime;
    await createService({ storage: rt.storage, clock: rt.clock, environments: rt.config.environments }, { actor: CLI_ACTOR, key: 'email', name: 'Email', scopes: [{ name: 'email:send', description: '' }] });
    admin = await logIn(server, ADMIN.email, ADMIN.password);
    ada = await userLoggedIn(server, 'Ada');
  });
  afterAll(() => server?.dispose());

  it.each(['A', 'ABCDEFGHIJKLMNOPQ', 'AB-C'])('refuses the acronym %j with a 400 naming the field', async (acronym) => {
    const refused = await api<Problem>(server, 'POST', '/applications', { cookie: ada.cookie, body: { acronym } });
    expect(refused.status).toBe(400);
    expect(new Set(refused.body.fields?.map((f) => f.field))).toEqual(new Set(['acronym']));
    expect(refused.body.detail).toMatch(/^fix these fields and send again: acronym /);
  });

  it('lists applications with their environments in one request when asked to', async () => {
    expect((await api(server, 'POST', '/applications', { cookie: ada.cookie, body: { acronym: 'LST1' } })).status).toBe(201);
    expect((await api(server, 'POST', '/applications', { cookie: ada.cookie, body: { acronym: 'LST2' } })).status).toBe(201);
    for (const acronym of ['LST1', 'LST2']) {
      expect((await api(server, 'POST', `/applications/${acronym}/approval`, { cookie: admin, body: { decision: 'approve' } })).status).toBe(200);
    }
    const services = [{ key: 'email' }];
    expect((await api(server, 'POST', '/applications/LST1/environments/dev', { cookie: ada.cookie, body: { services } })).status).toBe(201);
    expect((await api(server, 'POST', '/applications/LST1/environments/test', { cookie: ada.cookie, body: { services } })).status).toBe(202);

    const plain = await api<Paged<ApplicationListItemJson>>(server, 'GET', '/applications?limit=200', { cookie: ada.cookie });
    expect(plain.body.items.map((a) => a.environments)).toEqual([undefined, undefined]);

    const listed = await api<Paged<ApplicationListItemJson>>(server, 'GET', '/applications?include=environments&limit=1', { cookie: ada.cookie });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((a) => [a.acronym, a.environments?.map((e) => [e.env, e.status, e.needs_approval])])).toEqual([
      ['LST1', [['dev', 'approved', false], ['test', 'pending', true]]],
    ]);
    const next = await api<Paged<ApplicationListItemJson>>(server, 'GET', `/applications?include=environments&limit=1&cursor=${listed.body.next_cursor ?? ''}`, { cookie: ada.cookie });
    expect(next.body.items.map((a) => [a.acronym, a.environments])).toEqual([['LST2', []]]);
    expect((await api<Problem>(server, 'GET', '/applications?include=clients', { cookie: ada.cookie })).status).toBe(400);
  });
});
