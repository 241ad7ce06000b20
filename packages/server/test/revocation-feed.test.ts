import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProtectedHeader } from 'jose';
import { CLI_ACTOR } from '../src/domain/actor.js';
import { setUserDisabled } from '../src/domain/users/set-user-disabled.js';
import { setUserRoles } from '../src/domain/users/set-user-roles.js';
import { storageBackends } from './support/databases.js';
import { api } from './support/portal-client.js';
import { joinApplication, personalToken, userWith } from './support/personal-tokens.js';
import { basic, postForm, provisionClient, startTestServer, tokenFor, type ProvisionedClient, type TestServer } from './support/test-server.js';
import { claimsOf } from './support/users.js';
import { startTwoInstances, type TwoInstances } from './support/two-instances.js';

const backends = await storageBackends('the revocation feed');

interface FeedEvent {
  type: string;
  id: string;
  revoked?: boolean;
  exp?: number;
  generation?: number;
}
interface FeedPage {
  cursor: string;
  snapshot: boolean;
  max_token_lifetime: number;
  events: FeedEvent[];
}

async function read(server: TestServer, reader: ProvisionedClient, query: Record<string, string> = {}): Promise<Response> {
  const search = new URLSearchParams(query).toString();
  return fetch(`${server.url}/oauth/revocations${search ? `?${search}` : ''}`, { headers: { authorization: basic(reader.clientId, reader.clientSecret) } });
}

async function page(server: TestServer, reader: ProvisionedClient, query: Record<string, string> = {}): Promise<FeedPage> {
  const response = await read(server, reader, query);
  expect(response.status).toBe(200);
  return (await response.json()) as FeedPage;
}

type Match = (event: FeedEvent) => boolean;
const is = (type: string, id: string, more: Partial<FeedEvent> = {}): Match => (e) => e.type === type && e.id === id && Object.entries(more).every(([k, v]) => e[k as keyof FeedEvent] === v);

/**
 * Long-polls `server` from `cursor` while `change` happens (elsewhere), until an answer carries an event
 * matching every one of `matches`; answers how long after the change ended that took, and the cursor then.
 */
async function heldUntil(server: TestServer, reader: ProvisionedClient, cursor: string, change: () => Promise<unknown>, matches: Match[]): Promise<{ ms: number; cursor: string }> {
  let since = cursor;
  const seen = new Set<Match>();
  let first: Promise<FeedPage> | null = page(server, reader, { since, wait: '20' });
  // Let the request be held before the change happens.
  await new Promise((r) => setTimeout(r, 100));
  await change();
  const changed = Date.now();
  for (;;) {
    const answer = await (first ?? page(server, reader, { since, wait: '20' }));
    first = null;
    since = answer.cursor;
    for (const m of matches) if (answer.events.some(m)) seen.add(m);
    if (seen.size === matches.length) return { ms: Date.now() - changed, cursor: since };
    if (Date.now() - changed > 10_000) throw new Error(`not announced: ${JSON.stringify(answer)}`);
  }
}

// A deadline for "within a second", generous for a loaded two-core machine; a held request that is not
// woken answers only after its 20 s wait.
const WITHIN_MS = 2_500;

describe.each(backends)('GET /oauth/revocations ($name)', (backend) => {
  let instances: TwoInstances;
  let a: TestServer;
  let b: TestServer;
  let reader: ProvisionedClient;

  beforeAll(async () => {
    if (backend.skip) return;
    // PostgreSQL must wake held requests through LISTEN/NOTIFY (the poll is a minute), SQLite through its poll.
    instances = await startTwoInstances(backend);
    ({ a, b } = instances);
    reader = await provisionClient(a.runtime, { acronym: 'READER' });
  });
  afterAll(async () => {
    if (!backend.skip) await instances?.dispose();
  });

  it.skipIf(backend.skip)('answers only a client authenticating with HTTP Basic, the same way for an unknown client and a wrong secret', async () => {
    const none = await fetch(`${a.url}/oauth/revocations`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect(((await none.json()) as { error: string }).error).toBe('invalid_client');
    const inQuery = await fetch(`${a.url}/oauth/revocations?client_id=${reader.clientId}&client_secret=${reader.clientSecret}`);
    expect(inQuery.status).toBe(401);
    const wrong = await read(a, { clientId: reader.clientId, clientSecret: 'wrong' });
    const unknown = await read(a, { clientId: 'nobody-dev-xxxx', clientSecret: 'wrong' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  it.skipIf(backend.skip)('answers a snapshot, uncached JSON, and is announced in the metadata', async () => {
    const response = await read(a, reader);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as FeedPage;
    expect(body).toMatchObject({ snapshot: true, cursor: expect.stringMatching(/^\d+$/) as unknown, events: expect.any(Array) as unknown });
    expect(body.max_token_lifetime).toBeGreaterThan(3600);
    const metadata = (await (await fetch(`${a.url}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(metadata.revocation_feed_endpoint).toBe(`${a.url}/oauth/revocations`);
  });

  it.skipIf(backend.skip)('refuses a bad wait with a 400 naming it', async () => {
    for (const wait of ['abc', '31', '-1', '1.5', '']) {
      const response = await read(a, reader, { wait });
      expect(response.status, wait).toBe(400);
      const body = (await response.json()) as { error: string; error_description: string };
      expect(body.error).toBe('invalid_request');
      expect(body.error_description).toMatch(/\bwait\b/);
    }
    const twice = await fetch(`${a.url}/oauth/revocations?wait=1&wait=2`, { headers: { authorization: basic(reader.clientId, reader.clientSecret) } });
    expect(twice.status).toBe(400);
  });

  it.skipIf(backend.skip)('answers a snapshot for a cursor it cannot have issued', async () => {
    expect((await page(a, reader, { since: 'garbage' })).snapshot).toBe(true);
    expect((await page(a, reader, { since: '999999999999' })).snapshot).toBe(true);
    const { cursor } = await page(a, reader);
    const delta = await page(a, reader, { since: cursor });
    expect(delta).toMatchObject({ snapshot: false, cursor, events: [] });
  });

  it.skipIf(backend.skip)('wakes a held request on A within a second of a token revoked on B, and the snapshot has it', async () => {
    const client = await provisionClient(b.runtime, { acronym: 'REVOKE' });
    const token = await tokenFor(b, client);
    const { jti, exp } = claimsOf(token) as { jti: string; exp: number };
    const { cursor } = await page(a, reader);
    const { ms } = await heldUntil(a, reader, cursor, () => postForm(`${b.url}/oauth/revoke`, { token }, { authorization: basic(client.clientId, client.clientSecret) }), [
      is('token', jti, { revoked: true, exp }),
    ]);
    expect(ms).toBeLessThan(WITHIN_MS);
    expect((await page(a, reader)).events).toContainEqual({ type: 'token', id: jti, revoked: true, exp });
  });

  it.skipIf(backend.skip)('announces a client disabled on B (CLI), and enabled again', async () => {
    const client = await provisionClient(b.runtime, { acronym: 'TOGGLE' });
    let { cursor } = await page(a, reader);
    const disabled = await heldUntil(a, reader, cursor, () => b.cli(['client', 'disable', client.clientId]), [is('client', client.clientId, { revoked: true })]);
    expect(disabled.ms).toBeLessThan(WITHIN_MS);
    expect((await page(a, reader)).events).toContainEqual({ type: 'client', id: client.clientId, revoked: true });
    cursor = disabled.cursor;
    const enabled = await heldUntil(a, reader, cursor, () => b.cli(['client', 'enable', client.clientId]), [is('client', client.clientId, { revoked: false })]);
    expect(enabled.ms).toBeLessThan(WITHIN_MS);
    expect((await page(a, reader)).events.filter((e) => e.id === client.clientId)).toEqual([]);
  });

  it.skipIf(backend.skip)('announces a disabled user, and each of their personal tokens', async () => {
    const owner = await userWith(a, ['pat']);
    const { record, token } = await personalToken(a, owner);
    const { jti } = claimsOf(token) as { jti: string };
    const { cursor } = await page(a, reader);
    const { ms } = await heldUntil(a, reader, cursor, () => setUserDisabled(b.runtime, { actor: CLI_ACTOR, userId: owner.id, disabled: true }), [
      is('user', owner.id, { revoked: true }),
      is('token', jti, { revoked: true }),
    ]);
    expect(ms).toBeLessThan(WITHIN_MS);
    const snapshot = (await page(a, reader)).events;
    expect(snapshot).toContainEqual({ type: 'user', id: owner.id, revoked: true });
    expect(snapshot.find((e) => e.id === jti)).toMatchObject({ type: 'token', revoked: true });
    expect(record.id).toBeTruthy();
  });

  it.skipIf(backend.skip)('announces a personal token revoked, deleted or generated anew', async () => {
    const owner = await userWith(a, ['pat']);
    const revoked = await personalToken(a, owner);
    const deleted = await personalToken(a, owner);
    const replaced = await personalToken(a, owner);
    const jtiOf = (t: { token: string }): string => claimsOf(t.token).jti as string;
    let { cursor } = await page(a, reader);
    const step1 = await heldUntil(a, reader, cursor, () => b.runtime.storage.personalTokens.revoke(revoked.record.id, owner.id, Date.now()), [is('token', jtiOf(revoked), { revoked: true })]);
    expect(step1.ms).toBeLessThan(WITHIN_MS);
    cursor = step1.cursor;
    const step2 = await heldUntil(a, reader, cursor, () => api(b, 'DELETE', `/me/tokens/${deleted.record.id}`, { cookie: owner.cookie }), [is('token', jtiOf(deleted), { revoked: true })]);
    expect(step2.ms).toBeLessThan(WITHIN_MS);
    cursor = step2.cursor;
    const step3 = await heldUntil(a, reader, cursor, () => api(b, 'POST', `/me/tokens/${replaced.record.id}/generate`, { cookie: owner.cookie }), [is('token', jtiOf(replaced), { revoked: true })]);
    expect(step3.ms).toBeLessThan(WITHIN_MS);
    const snapshot = (await page(a, reader)).events.filter((e) => e.type === 'token' && e.revoked).map((e) => e.id);
    expect(snapshot).toEqual(expect.arrayContaining([jtiOf(revoked), jtiOf(deleted), jtiOf(replaced)]));
  });

  it.skipIf(backend.skip)("announces a personal token whose owner lost the pat role, and lifts it when they regain it", async () => {
    const owner = await userWith(a, ['pat']);
    const { token } = await personalToken(a, owner);
    const { jti } = claimsOf(token) as { jti: string };
    const { cursor } = await page(a, reader);
    const lost = await heldUntil(a, reader, cursor, () => setUserRoles(b.runtime, { actor: CLI_ACTOR, userId: owner.id, roles: [] }), [is('token', jti, { revoked: true })]);
    expect(lost.ms).toBeLessThan(WITHIN_MS);
    expect((await page(a, reader)).events.find((e) => e.id === jti)).toMatchObject({ revoked: true });
    const regained = await heldUntil(a, reader, lost.cursor, () => setUserRoles(b.runtime, { actor: CLI_ACTOR, userId: owner.id, roles: ['pat'] }), [is('token', jti, { revoked: false })]);
    expect(regained.ms).toBeLessThan(WITHIN_MS);
    expect((await page(a, reader)).events.find((e) => e.id === jti)).toBeUndefined();
  });

  it.skipIf(backend.skip)('announces a personal token whose owner left the team its scope came through, and lifts it when they rejoin', async () => {
    await provisionClient(a.runtime, { acronym: 'TEAM' });
    const owner = await userWith(a, ['pat']);
    await joinApplication(a, owner, 'TEAM');
    // The last member cannot leave.
    await joinApplication(a, await userWith(a, []), 'TEAM');
    const { token } = await personalToken(a, owner, { scopes: ['email:send'] });
    const { jti } = claimsOf(token) as { jti: string };
    const application = await a.runtime.storage.applications.getByAcronym('TEAM');
    if (!application) throw new Error('no application TEAM');
    const { cursor } = await page(a, reader);
    const left = await heldUntil(a, reader, cursor, () => b.runtime.storage.members.remove(application.id, owner.id), [is('token', jti, { revoked: true })]);
    expect(left.ms).toBeLessThan(WITHIN_MS);
    const back = await heldUntil(a, reader, left.cursor, () => joinApplication(b, owner, 'TEAM'), [is('token', jti, { revoked: false })]);
    expect(back.ms).toBeLessThan(WITHIN_MS);
  });

  it.skipIf(backend.skip)("announces a subject's watermark generation", async () => {
    const { cursor } = await page(a, reader);
    const { ms } = await heldUntil(a, reader, cursor, () => b.runtime.storage.watermarks.advance('subject-w', Date.now()), [is('generation', 'subject-w', { generation: 1 })]);
    expect(ms).toBeLessThan(WITHIN_MS);
    expect((await page(a, reader)).events).toContainEqual({ type: 'generation', id: 'subject-w', generation: 1 });
  });

  it.skipIf(backend.skip)('announces the signing key revoked by an emergency rotation on B, and the snapshot has it', async () => {
    const client = await provisionClient(b.runtime, { acronym: 'ROTATE' });
    const { kid } = decodeProtectedHeader(await tokenFor(b, client));
    const { cursor } = await page(a, reader);
    const { ms } = await heldUntil(a, reader, cursor, () => b.cli(['keys', 'rotate', '--now']), [is('key', String(kid), { revoked: true })]);
    expect(ms).toBeLessThan(WITHIN_MS);
    expect((await page(a, reader)).events).toContainEqual({ type: 'key', id: kid, revoked: true });
    // A token of the new key verifies (its kid is not announced).
    expect(decodeProtectedHeader(await tokenFor(b, client)).kid).not.toBe(kid);
  });

  it.skipIf(backend.skip)('holds a request for wait seconds when nothing happens, and ends it at once on shutdown', async () => {
    const { cursor } = await page(a, reader);
    const started = Date.now();
    const quiet = await page(a, reader, { since: cursor, wait: '1' });
    expect(quiet).toMatchObject({ snapshot: false, events: [] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const c = await startTestServer({ shareWith: a });
    const held = read(c, reader, { since: cursor, wait: '30' });
    await new Promise((r) => setTimeout(r, 200));
    const closing = Date.now();
    const disposed = c.dispose();
    const answer = await held;
    expect(answer.status).toBe(200);
    expect(answer.headers.get('connection')).toBe('close');
    await disposed;
    expect(Date.now() - closing).toBeLessThan(5_000);
  });

  it.skipIf(backend.skip)('answers a snapshot once the change log no longer holds what follows the cursor', async () => {
    const { cursor } = await page(a, reader);
    await b.runtime.storage.watermarks.advance('subject-p', Date.now());
    await a.runtime.storage.changes.prune(Date.now() + 60_000);
    const answer = await page(a, reader, { since: cursor });
    expect(answer.snapshot).toBe(true);
    expect(answer.events).toContainEqual({ type: 'generation', id: 'subject-p', generation: 1 });
  });
});
