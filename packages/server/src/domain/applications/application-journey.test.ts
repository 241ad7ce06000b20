import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../storage.js';
import type { User } from '../users/user.js';
import { DomainError } from '../errors.js';
import { createServerKeyring } from '../secrets/server-key.js';
import { createService } from '../catalog/create-service.js';
import { CLI_ACTOR, userActor, type Actor } from '../actor.js';
import { systemRandom } from '../random.js';
import { requestApplication, getApplicationDraft } from './request-application.js';
import { decideApplication } from './decide-application.js';
import { getApplication } from './get-application.js';
import { listApplications } from './list-applications.js';
import { registerEnvironment, type EnvironmentDeps } from '../environments/register-environment.js';
import { decideEnvironment } from '../environments/decide-environment.js';
import { regenerateSecret } from '../environments/regenerate-secret.js';
import { getEnvironmentCredential } from '../environments/get-environment-credential.js';
import { inviteMember } from '../invitations/invite-member.js';
import { acceptInvitation } from '../invitations/accept-invitation.js';
import { removeMember } from '../members/remove-member.js';
import { listMembers } from '../members/list-members.js';
import { storageBackends, type FreshDatabase } from '../../../test/support/databases.js';

// The use cases end to end on each database, including the two races the issue names, run over two
// connections (as two server instances would).
const backends = await storageBackends('application journey');
const serverKeys = createServerKeyring([randomBytes(32)]);
let now = 1_750_000_000_000;
const clock = { now: () => now };
let n = 0;
const uid = (p: string): string => `${p}${(++n).toString(36)}${randomBytes(3).toString('hex')}`;

async function codeOf(work: Promise<unknown>): Promise<string> {
  return work.then(
    () => 'ok',
    (e: unknown) => (e instanceof DomainError ? `${e.code}: ${e.message}` : `unexpected: ${String(e)}`),
  );
}

describe.each(backends)('application journey on $name', (backend) => {
  describe.skipIf(backend.skip)(backend.name, () => {
    let fresh: FreshDatabase;
    let storage: Storage;
    let other: Storage;
    let deps: EnvironmentDeps & { maxSecretGraceSeconds: number; invitationTtlSeconds: number };
    let otherDeps: typeof deps;

    const actorOf = (user: User): Actor => userActor(user, '127.0.0.1');
    async function newUser(admin = false): Promise<User> {
      const user: User = { id: uid('usr_'), email: `${uid('u')}@example.com`, name: uid('Name '), passwordHash: 'x', roles: admin ? ['admin'] : [], createdAt: now, disabledAt: null };
      await storage.users.create(user);
      return user;
    }
    async function outbox(to: string): Promise<{ subject: string; text: string }[]> {
      return (await storage.outbox.list({ limit: 200 })).filter((m) => m.to === to);
    }
    async function approvedApp(owner: User, admin: User): Promise<string> {
      const acronym = uid('J').slice(0, 10).toUpperCase();
      await requestApplication(deps, { actor: actorOf(owner), acronym, name: 'Journey' });
      await decideApplication(deps, { actor: actorOf(admin), acronym, decision: 'approve' });
      return acronym;
    }

    beforeAll(async () => {
      fresh = await backend.fresh();
      storage = (await fresh.connect()).storage;
      other = (await fresh.connect()).storage;
      const base = { clock, issuer: 'https://latchkey.example', serverKeys, environments: ['dev', 'test', 'prod'], approvalEnvironments: ['prod'], maxSecretGraceSeconds: 3600, random: systemRandom, invitationTtlSeconds: 600 };
      deps = { ...base, storage };
      otherDeps = { ...base, storage: other };
      await createService({ storage, clock, environments: base.environments }, {
        actor: CLI_ACTOR,
        key: 'email',
        name: 'Email',
        scopes: [{ name: 'email:send', description: '' }, { name: 'email:read', description: '' }],
      });
    });
    afterAll(async () => fresh?.drop());

    it('a request is pending, mails the administrators, pre-fills the next one; a decision mails the requester a link', async () => {
      const [admin, owner] = [await newUser(true), await newUser()];
      const acronym = uid('r').slice(0, 10);
      const app = await requestApplication(deps, { actor: actorOf(owner), acronym, name: 'Billing', description: 'Invoices' });
      expect(app).toMatchObject({ acronym: acronym.toUpperCase(), status: 'pending', requestedBy: owner.id });
      expect((await outbox(admin.email)).map((m) => m.subject)).toContain(`Application ${app.acronym} waits for your approval`);
      expect(await getApplicationDraft(deps, { actor: actorOf(owner) })).toStrictEqual({ acronym: app.acronym, name: 'Billing', description: 'Invoices', status: 'pending' });
      expect(await codeOf(requestApplication(deps, { actor: actorOf(owner), acronym: acronym.toLowerCase() }))).toMatch(/^conflict/);
      expect(await codeOf(decideApplication(deps, { actor: actorOf(owner), acronym, decision: 'approve' }))).toMatch(/^forbidden/);
      const rejected = await decideApplication(deps, { actor: actorOf(admin), acronym, decision: 'reject', reason: 'Use the shared BILL account' });
      expect(rejected).toMatchObject({ status: 'rejected', decisionReason: 'Use the shared BILL account', decidedBy: admin.id });
      const [mail] = await outbox(owner.email);
      expect(mail?.subject).toBe(`Your application ${app.acronym} was rejected`);
      expect(mail?.text).toContain(`https://latchkey.example/applications/${app.acronym}`);
      expect(mail?.text).toContain('Use the shared BILL account');
      expect(await codeOf(decideApplication(deps, { actor: actorOf(admin), acronym, decision: 'approve' }))).toMatch(/^conflict: .* is rejected already/);
      expect(await codeOf(requestApplication(deps, { actor: actorOf(admin), acronym }))).toMatch(/^conflict: the acronym .* is taken/);
      const again = await requestApplication(deps, { actor: actorOf(owner), acronym, name: 'Billing 2' });
      expect(again).toMatchObject({ id: app.id, status: 'pending', name: 'Billing 2', decisionReason: null, decidedAt: null });
      expect(await listMembers(deps, { actor: actorOf(owner), acronym })).toHaveLength(1);
    });

    it('lists: members see theirs, administrators all', async () => {
      const [admin, owner, stranger] = [await newUser(true), await newUser(), await newUser()];
      const acronym = await approvedApp(owner, admin);
      expect((await listApplications(deps, { actor: actorOf(owner), limit: 50 })).map((a) => a.acronym)).toStrictEqual([acronym]);
      expect((await listApplications(deps, { actor: actorOf(stranger), limit: 50 }))).toStrictEqual([]);
      expect((await listApplications(deps, { actor: actorOf(admin), limit: 500, status: 'approved' })).map((a) => a.acronym)).toContain(acronym);
      expect(await codeOf(getApplication(deps, { actor: actorOf(stranger), acronym }))).toMatch(/^forbidden/);
    });

    it('environments register in order, name unknown services and scopes, and wait for approval where configured', async () => {
      const [admin, owner] = [await newUser(true), await newUser()];
      const acronym = await approvedApp(owner, admin);
      const actor = actorOf(owner);
      expect(await codeOf(registerEnvironment(deps, { actor, acronym, env: 'test', services: [{ key: 'email' }] }))).toMatch(/^conflict: register dev first/);
      expect(await codeOf(registerEnvironment(deps, { actor, acronym, env: 'dev', services: [{ key: 'nope' }] }))).toMatch(/^bad_request: .*no service "nope"/);
      expect(await codeOf(registerEnvironment(deps, { actor, acronym, env: 'dev', services: [{ key: 'email', scopes: ['email:fly'] }] }))).toMatch(/email:fly/);
      const dev = await registerEnvironment(deps, { actor, acronym, env: 'dev', services: [{ key: 'email', scopes: ['email:send'] }] });
      if (dev.status !== 'approved') throw new Error('dev needs no approval');
      expect(dev.clientSecret).toMatch(/^lks_/);
      expect(dev.client.grants).toStrictEqual([{ service: 'email', scopes: ['email:send'] }]);
      expect(await codeOf(registerEnvironment(deps, { actor, acronym, env: 'DEV', services: [{ key: 'email' }] }))).toMatch(/^conflict: dev is registered already/);
      const credential = await getEnvironmentCredential(deps, { actor, acronym, env: 'DEV' });
      expect(credential.services.map((s) => [s.service.key, s.scopes])).toStrictEqual([['email', ['email:send']]]);
      expect([credential.client.clientId, credential.tokenEndpoint]).toStrictEqual([dev.client.clientId, 'https://latchkey.example/oauth/token']);
      await registerEnvironment(deps, { actor, acronym, env: 'test', services: [{ key: 'email' }] });
      const prod = await registerEnvironment(deps, { actor, acronym, env: 'prod', services: [{ key: 'email' }] });
      expect(prod.status).toBe('pending');
      expect((await outbox(admin.email)).map((m) => m.subject)).toContain(`${acronym} asks for prod credentials`);
      expect(await codeOf(decideEnvironment(deps, { actor, acronym, env: 'prod', decision: 'approve' }))).toMatch(/^forbidden/);
      const decided = await decideEnvironment(deps, { actor: actorOf(admin), acronym, env: 'prod', decision: 'approve' });
      expect(decided.client?.secrets).toStrictEqual([]);
      expect((await outbox(owner.email)).map((m) => m.subject)).toContain(`${acronym} prod was approved`);
      const details = await getApplication(deps, { actor, acronym });
      expect(details.environments.map((e) => [e.env, e.status, e.client?.secrets.length])).toStrictEqual([['dev', 'approved', 1], ['test', 'approved', 1], ['prod', 'approved', 0]]);
      const first = await regenerateSecret(deps, { actor, acronym, env: 'prod' });
      expect(first.client.secrets).toHaveLength(1);
    });

    it('a rejected environment says why by mail and may be registered again', async () => {
      const [admin, owner] = [await newUser(true), await newUser()];
      const acronym = await approvedApp(owner, admin);
      const actor = actorOf(owner);
      await registerEnvironment(deps, { actor, acronym, env: 'dev', services: [{ key: 'email' }] });
      await registerEnvironment(deps, { actor, acronym, env: 'test', services: [{ key: 'email' }] });
      await registerEnvironment(deps, { actor, acronym, env: 'prod', services: [{ key: 'email' }] });
      expect(await codeOf(registerEnvironment(deps, { actor, acronym, env: 'prod', services: [{ key: 'email' }] }))).toMatch(/waits for an administrator/);
      const rejected = await decideEnvironment(deps, { actor: actorOf(admin), acronym, env: 'prod', decision: 'reject', reason: 'name a PROD owner first' });
      expect([rejected.registration.status, rejected.client]).toStrictEqual(['rejected', null]);
      expect((await outbox(owner.email)).find((m) => m.subject === `${acronym} prod was rejected`)?.text).toContain('name a PROD owner first');
      expect(await codeOf(decideEnvironment(deps, { actor: actorOf(admin), acronym, env: 'prod', decision: 'approve' }))).toMatch(/^conflict: .*no pending prod/);
      expect((await registerEnvironment(deps, { actor, acronym, env: 'prod', services: [{ key: 'email' }] })).status).toBe('pending');
    });

    it('regenerating a secret stops the old one at once, or after the grace period asked for (bounded)', async () => {
      const [admin, owner] = [await newUser(true), await newUser()];
      const acronym = await approvedApp(owner, admin);
      const actor = actorOf(owner);
      await registerEnvironment(deps, { actor, acronym, env: 'dev', services: [{ key: 'email' }] });
      const hard = await regenerateSecret(deps, { actor, acronym, env: 'dev' });
      expect(hard.previousSecretsExpireAt).toBe(now);
      const soft = await regenerateSecret(deps, { actor, acronym, env: 'dev', graceSeconds: 60 });
      expect(soft.previousSecretsExpireAt).toBe(now + 60_000);
      expect(soft.client.secrets.map((s) => s.expiresAt)).toStrictEqual([now + 60_000, null]);
      expect(await codeOf(regenerateSecret(deps, { actor, acronym, env: 'dev', graceSeconds: 3601 }))).toMatch(/^bad_request: grace_seconds/);
      expect(await codeOf(regenerateSecret(deps, { actor, acronym, env: 'test' }))).toMatch(/^not_found/);
    });

    it('invitations are bound to the address, single use and expire; members never remove themselves or the last member', async () => {
      const [admin, owner, invitee, intruder] = [await newUser(true), await newUser(), await newUser(), await newUser()];
      const acronym = await approvedApp(owner, admin);
      await inviteMember(deps, { actor: actorOf(owner), acronym, email: invitee.email.toUpperCase() });
      const [mail] = await outbox(invitee.email);
      const token = /\/invitations\/(lki_\w+)/.exec(mail?.text ?? '')?.[1] ?? '';
      expect(await codeOf(acceptInvitation(deps, { actor: actorOf(intruder), token }))).toMatch(/^forbidden: this invitation is for another email address/);
      expect(await codeOf(acceptInvitation(deps, { actor: actorOf(invitee), token: `${token}x` }))).toMatch(/^not_found/);
      expect((await acceptInvitation(deps, { actor: actorOf(invitee), token })).acronym).toBe(acronym);
      expect(await codeOf(acceptInvitation(deps, { actor: actorOf(invitee), token }))).toMatch(/^conflict: this invitation was used already/);
      expect((await listMembers(deps, { actor: actorOf(invitee), acronym })).map((m) => [m.email, m.role])).toStrictEqual([[owner.email, 'owner'], [invitee.email, 'member']]);

      await inviteMember(deps, { actor: actorOf(invitee), acronym, email: intruder.email });
      const late = /\/invitations\/(lki_\w+)/.exec((await outbox(intruder.email))[0]?.text ?? '')?.[1] ?? '';
      now += 601_000;
      expect(await codeOf(acceptInvitation(deps, { actor: actorOf(intruder), token: late }))).toMatch(/^conflict: this invitation expired/);

      expect(await codeOf(removeMember(deps, { actor: actorOf(invitee), acronym, userId: invitee.id }))).toMatch(/^forbidden: you cannot remove yourself/);
      await removeMember(deps, { actor: actorOf(invitee), acronym, userId: owner.id });
      expect(await codeOf(removeMember(deps, { actor: actorOf(admin), acronym, userId: invitee.id }))).toMatch(/^conflict: .*last member/);
      const actions = (await storage.audit.list({ limit: 50 })).filter((e) => e.target === `application:${acronym}`).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['application.requested', 'application.approved', 'member.invited', 'member.joined', 'member.removed']));
    });

    it('two members registering the same environment at once get one client; the other a conflict', async () => {
      const [admin, owner, second] = [await newUser(true), await newUser(), await newUser()];
      const acronym = await approvedApp(owner, admin);
      await storage.members.add({ applicationId: (await storage.applications.getByAcronym(acronym))?.id ?? '', userId: second.id, role: 'member', joinedAt: now });
      const results = await Promise.all([
        codeOf(registerEnvironment(deps, { actor: actorOf(owner), acronym, env: 'dev', services: [{ key: 'email' }] })),
        codeOf(registerEnvironment(otherDeps, { actor: actorOf(second), acronym, env: 'dev', services: [{ key: 'email' }] })),
      ]);
      expect(results.filter((r) => r === 'ok')).toHaveLength(1);
      expect(results.filter((r) => r.startsWith('conflict'))).toHaveLength(1);
      expect(await storage.clients.list({ acronym })).toHaveLength(1);
    });

    it('accepting the same invitation twice at once adds one membership', async () => {
      const [admin, owner, invitee] = [await newUser(true), await newUser(), await newUser()];
      const acronym = await approvedApp(owner, admin);
      await inviteMember(deps, { actor: actorOf(owner), acronym, email: invitee.email });
      const token = /\/invitations\/(lki_\w+)/.exec((await outbox(invitee.email))[0]?.text ?? '')?.[1] ?? '';
      const results = await Promise.all([
        codeOf(acceptInvitation(deps, { actor: actorOf(invitee), token })),
        codeOf(acceptInvitation(otherDeps, { actor: actorOf(invitee), token })),
      ]);
      expect(results.sort()).toStrictEqual(['conflict: this invitation was used already; ask a member for a new one', 'ok']);
      expect(await listMembers(deps, { actor: actorOf(owner), acronym })).toHaveLength(2);
    });
  });
});
