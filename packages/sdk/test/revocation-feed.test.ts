import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createRevocationFeed, type RevocableClaims, type RevocationFeed } from '../src/revocation-feed.js';
import { loadConfig } from '../../server/src/config.js';
import { startServer, type RunningServer } from '../../server/src/serve.js';
import { CLI_ACTOR } from '../../server/src/domain/actor.js';
import { setUserDisabled } from '../../server/src/domain/users/set-user-disabled.js';
import { setUserRoles } from '../../server/src/domain/users/set-user-roles.js';
import { storageBackends } from '../../server/test/support/databases.js';
import { api } from '../../server/test/support/portal-client.js';
import { personalToken, userWith } from '../../server/test/support/personal-tokens.js';
import { basic, postForm, provisionClient, startTestServer, tokenFor, type ProvisionedClient, type TestServer } from '../../server/test/support/test-server.js';
import { claimsOf } from '../../server/test/support/users.js';
import { startTwoInstances, type TwoInstances } from '../../server/test/support/two-instances.js';

// The follower against real Latchkey servers: the change is made on B, the follower reads A (on PostgreSQL
// B's change reaches A through LISTEN/NOTIFY only: A's poll is a minute).
const backends = await storageBackends('the SDK revocation feed follower');

// "Within a second" as a correctness deadline, generous for a loaded two-core machine: without the feed
// a token is never refused at all, and a request not woken would answer only after its 20 s wait.
const WITHIN_MS = 2_500;

/** Polls `check` until it answers `want`; answers how long that took. */
async function until(feed: RevocationFeed, claims: RevocableClaims, want: ReturnType<RevocationFeed['check']>, ms = WITHIN_MS): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (feed.check(claims) === want) return Date.now() - started;
    if (Date.now() - started > ms) throw new Error(`check(${JSON.stringify(claims)}) is ${String(feed.check(claims))}, not ${String(want)}, after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A fetch that sends what is addressed to `from` to `to` instead (a follower of another instance than the issuer's). */
const redirected = (from: string, to: () => string): typeof fetch => (input, init) => fetch(String(input).replace(from, to()), init);

describe.each(backends)('createRevocationFeed against Latchkey ($name)', (backend) => {
  let a: TestServer;
  let b: TestServer;
  let reader: ProvisionedClient;
  const feeds: RevocationFeed[] = [];
  const follow = (over: Partial<Parameters<typeof createRevocationFeed>[0]> = {}): RevocationFeed => {
    const feed = createRevocationFeed({ issuer: a.url, clientId: reader.clientId, clientSecret: reader.clientSecret, ...over });
    feeds.push(feed);
    return feed;
  };
  const revoked: RevocableClaims[] = [];

  let instances: TwoInstances;

  beforeAll(async () => {
    if (backend.skip) return;
    instances = await startTwoInstances(backend);
    ({ a, b } = instances);
    reader = await provisionClient(a.runtime, { acronym: 'VERIFIER' });
  });
  afterAll(async () => {
    // The servers first: a feed closed while its request is held aborts it, and Node's fetch then opens a
    // fresh connection that a closing server does not count as idle (it waits for its headers timeout).
    const closeFeeds = (): void => feeds.forEach((feed) => feed.close());
    if (backend.skip) closeFeeds();
    else await instances?.dispose(closeFeeds);
  });

  it.skipIf(backend.skip)('is stale until its first snapshot, then refuses nothing it was not told of', async () => {
    const feed = follow();
    expect(feed.check({ jti: 'x' })).toBe('stale');
    await feed.ready();
    expect(feed.cursor).toMatch(/^\d+$/);
    expect(feed.check({ jti: 'x', client_id: 'c', sub: 's', gen: 0 })).toBeNull();
  });

  it.skipIf(backend.skip)('refuses, within a second of each change on B, a token revoked, a disabled client and user, a personal token gone or out of rights, a superseded generation', async () => {
    const feed = follow();
    await feed.ready();

    // A JWT revoked with /oauth/revoke.
    const client = await provisionClient(b.runtime, { acronym: 'ORDERS' });
    const jwt = claimsOf(await tokenFor(b, client));
    const token = await tokenFor(b, client);
    const tokenClaims = claimsOf(token);
    expect(feed.check(tokenClaims)).toBeNull();
    await postForm(`${b.url}/oauth/revoke`, { token }, { authorization: basic(client.clientId, client.clientSecret) });
    expect(await until(feed, tokenClaims, 'token_revoked')).toBeLessThan(WITHIN_MS);
    revoked.push(tokenClaims);

    // A client disabled with the CLI, and enabled again.
    expect(feed.check(jwt)).toBeNull();
    await b.cli(['client', 'disable', client.clientId]);
    await until(feed, jwt, 'token_revoked');
    await b.cli(['client', 'enable', client.clientId]);
    await until(feed, jwt, null);

    // A user disabled: their personal token, and any token with their sub.
    const disabled = await userWith(a, ['pat']);
    const ofDisabled = claimsOf((await personalToken(a, disabled)).token);
    expect(feed.check(ofDisabled)).toBeNull();
    await setUserDisabled(b.runtime, { actor: CLI_ACTOR, userId: disabled.id, disabled: true });
    await until(feed, ofDisabled, 'token_revoked');
    await until(feed, { sub: disabled.id, jti: 'another' }, 'token_revoked', 0);
    revoked.push({ sub: disabled.id });

    // Personal tokens revoked by a token administrator, and deleted by their owner.
    const owner = await userWith(a, ['pat']);
    const toRevoke = await personalToken(a, owner);
    const toDelete = await personalToken(a, owner);
    await b.runtime.storage.personalTokens.revoke(toRevoke.record.id, owner.id, Date.now());
    await until(feed, claimsOf(toRevoke.token), 'token_revoked');
    await api(b, 'DELETE', `/me/tokens/${toDelete.record.id}`, { cookie: owner.cookie });
    await until(feed, claimsOf(toDelete.token), 'token_revoked');
    revoked.push(claimsOf(toDelete.token));

    // The owner of a personal token loses the pat role, then regains it.
    const kept = claimsOf((await personalToken(a, owner)).token);
    expect(feed.check(kept)).toBeNull();
    await setUserRoles(b.runtime, { actor: CLI_ACTOR, userId: owner.id, roles: [] });
    await until(feed, kept, 'token_revoked');
    await setUserRoles(b.runtime, { actor: CLI_ACTOR, userId: owner.id, roles: ['pat'] });
    await until(feed, kept, null);

    // A watermark advance supersedes the subject's tokens below the new generation.
    await b.runtime.storage.watermarks.advance('legacy-user', Date.now());
    await until(feed, { sub: 'legacy-user', gen: 0 }, 'token_revoked');
    expect(feed.check({ sub: 'legacy-user', gen: 1 })).toBeNull();
    revoked.push({ sub: 'legacy-user', gen: 0 });
  });

  it.skipIf(backend.skip)('refuses, from its first snapshot, what was revoked before it started', async () => {
    expect(revoked.length).toBeGreaterThan(3);
    const late = follow();
    await late.ready();
    for (const claims of revoked) expect(late.check(claims), JSON.stringify(claims)).toBe('token_revoked');
  });

  it.skipIf(backend.skip)('catches up with what happened while its connection was down (the server restarted on its port)', async () => {
    const c = await startTestServer({ shareWith: a });
    let current: RunningServer = c;
    const errors: Error[] = [];
    const feed = follow({ fetch: redirected(a.url, () => current.url), onError: (e) => errors.push(e) });
    await feed.ready();
    await current.close();
    const client = await provisionClient(b.runtime, { acronym: 'RESTART' });
    const token = claimsOf(await tokenFor(b, client));
    await b.cli(['client', 'disable', client.clientId]);
    current = await startServer(loadConfig(c.env), pino({ level: 'silent' }));
    try {
      expect(current.url).toBe(c.url);
      await until(feed, token, 'token_revoked', 10_000);
      expect(errors.length).toBeGreaterThan(0);
    } finally {
      await current.close();
    }
  });

  it.skipIf(backend.skip)("reports 'stale' once the server has not answered for staleAfter", async () => {
    const c = await startTestServer({ shareWith: a });
    const feed = follow({ fetch: redirected(a.url, () => c.url), wait: 1, staleAfter: 1_500, onError: () => undefined });
    await feed.ready();
    expect(feed.check({ jti: 'fine' })).toBeNull();
    await c.dispose();
    const ms = await until(feed, { jti: 'fine' }, 'stale', 5_000);
    expect(ms).toBeGreaterThan(200);
    // A revoked entry is still refused as revoked, not merely stale.
    for (const claims of revoked) expect(feed.check(claims)).toBe('token_revoked');
  });
});
