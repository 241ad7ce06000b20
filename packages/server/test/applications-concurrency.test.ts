import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.js';
import { ADMIN, ADMIN_ENV, api, logIn } from './support/portal-client.js';
import { storageBackends, type FreshDatabase } from './support/databases.js';
import { invitationTokenFor, userLoggedIn, type LoggedIn } from './support/team-users.js';
import { createService } from '../src/domain/catalog/create-service.js';
import { CLI_ACTOR } from '../src/domain/actor.js';

// Two races (one environment registered twice at once; one invitation accepted twice at once), over HTTP
// against two server instances sharing one database, on SQLite and on PostgreSQL: both requests are in
// flight together, and the database decides.
const backends = await storageBackends('applications concurrency');

describe.each(backends)('application races on $name', (backend) => {
  describe.skipIf(backend.skip)(backend.name, () => {
    let fresh: FreshDatabase | null = null;
    let one: TestServer;
    let two: TestServer;
    let admin: string;
    let ada: LoggedIn;
    let bob: LoggedIn;
    let n = 0;

    beforeAll(async () => {
      const database = backend.name === 'PostgreSQL' ? (fresh = await backend.fresh()).url : undefined;
      one = await startTestServer({ env: { ...ADMIN_ENV, ...(database ? { LATCHKEY_DATABASE_URL: database } : {}) } });
      two = await startTestServer({ shareWith: one });
      const rt = one.runtime;
      await createService({ storage: rt.storage, clock: rt.clock, environments: rt.config.environments }, { actor: CLI_ACTOR, key: 'email', name: 'Email', scopes: [] });
      admin = await logIn(one, ADMIN.email, ADMIN.password);
      [ada, bob] = [await userLoggedIn(one, 'Ada'), await userLoggedIn(one, 'Bob')];
    });
    afterAll(async () => {
      await two?.dispose();
      await one?.dispose();
      await fresh?.drop();
    });

    async function teamOfTwo(): Promise<string> {
      const acronym = `RACE${++n}${backend.name.slice(0, 2).toUpperCase()}`;
      await api(one, 'POST', '/applications', { cookie: ada.cookie, body: { acronym } });
      await api(one, 'POST', `/applications/${acronym}/approval`, { cookie: admin, body: { decision: 'approve' } });
      await api(one, 'POST', `/applications/${acronym}/invitations`, { cookie: ada.cookie, body: { email: bob.user.email } });
      const joined = await api(one, 'POST', `/invitations/${await invitationTokenFor(one, bob.user.email, acronym)}/accept`, { cookie: bob.cookie });
      expect(joined.status).toBe(200);
      return acronym;
    }

    it('two members registering the same environment at once get one client; the other a 409', async () => {
      for (let round = 0; round < 3; round++) {
        const acronym = await teamOfTwo();
        const body = { services: [{ key: 'email' }] };
        const [a, b] = await Promise.all([
          api(one, 'POST', `/applications/${acronym}/environments/dev`, { cookie: ada.cookie, body }),
          api(two, 'POST', `/applications/${acronym}/environments/dev`, { cookie: bob.cookie, body }),
        ]);
        expect([a.status, b.status].sort()).toStrictEqual([201, 409]);
        expect(await one.runtime.storage.clients.list({ acronym })).toHaveLength(1);
      }
    });

    it('accepting the same invitation twice at once adds one membership', async () => {
      for (let round = 0; round < 3; round++) {
        const acronym = `JOIN${++n}${backend.name.slice(0, 2).toUpperCase()}`;
        await api(one, 'POST', '/applications', { cookie: ada.cookie, body: { acronym } });
        await api(one, 'POST', `/applications/${acronym}/invitations`, { cookie: ada.cookie, body: { email: bob.user.email } });
        const token = await invitationTokenFor(one, bob.user.email, acronym);
        const [a, b] = await Promise.all([
          api(one, 'POST', `/invitations/${token}/accept`, { cookie: bob.cookie }),
          api(two, 'POST', `/invitations/${token}/accept`, { cookie: bob.cookie }),
        ]);
        expect([a.status, b.status].sort()).toStrictEqual([200, 409]);
        const members = await api<{ items: unknown[] }>(one, 'GET', `/applications/${acronym}/members`, { cookie: ada.cookie });
        expect(members.body.items).toHaveLength(2);
      }
    });
  });
});
