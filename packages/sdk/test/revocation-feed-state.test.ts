import { afterEach, describe, expect, it } from 'vitest';
import { createRevocationFeed, type RevocationFeed } from '../src/revocation-feed.js';

// The follower's bookkeeping, against a scripted feed (the wire format of docs/revocation-feed.md): what
// each kind of event does to check(), snapshots replacing the state, entries dropped after exp, errors
// retried from the same cursor. The real-server behaviour is in revocation-feed.test.ts.
const ISSUER = 'https://latchkey.test';
const ENDPOINT = `${ISSUER}/oauth/revocations`;

type Page = { cursor: string; snapshot: boolean; max_token_lifetime: number; events: unknown[] };

/** A fetch that answers the metadata, then each feed request with the next scripted page (or a failure); the last one is held. */
function scripted(pages: (Page | 'fail')[], seen: string[]): typeof fetch {
  return async (input, init) => {
    const url = String(input);
    if (url.endsWith('/.well-known/oauth-authorization-server')) return Response.json({ issuer: ISSUER, revocation_feed_endpoint: ENDPOINT });
    seen.push(url.slice(ENDPOINT.length));
    const next = pages.shift();
    if (next === undefined) {
      // Nothing more: hold, like a long-poll, until aborted.
      return new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    }
    if (next === 'fail') return new Response('{"error":"temporarily_unavailable","error_description":"down"}', { status: 503 });
    return Response.json(next);
  };
}

async function until(check: () => boolean, ms = 3_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const now = (): number => Math.floor(Date.now() / 1000);
const feeds: RevocationFeed[] = [];
afterEach(() => {
  for (const feed of feeds.splice(0)) feed.close();
});
function follow(pages: (Page | 'fail')[], seen: string[] = [], over: { onError?: (e: Error) => void } = {}): RevocationFeed {
  const feed = createRevocationFeed({ issuer: `${ISSUER}/`, clientId: 'rs id', clientSecret: 's:ecret', fetch: scripted(pages, seen), wait: 5, staleAfter: 10_000, ...over });
  feeds.push(feed);
  return feed;
}

describe('createRevocationFeed (scripted feed)', () => {
  it('applies each kind of event, and revoked: false lifts an earlier refusal', async () => {
    const seen: string[] = [];
    const feed = follow(
      [
        { cursor: '10', snapshot: true, max_token_lifetime: 3600, events: [{ type: 'token', id: 'j1', revoked: true, exp: now() + 600 }, { type: 'client', id: 'c1', revoked: true }] },
        { cursor: '12', snapshot: false, max_token_lifetime: 3600, events: [{ type: 'user', id: 'u1', revoked: true }, { type: 'generation', id: 's1', generation: 3 }, { type: 'client', id: 'c1', revoked: false }] },
      ],
      seen,
    );
    await feed.ready();
    expect(feed.check({ jti: 'j1' })).toBe('token_revoked');
    await until(() => feed.cursor === '12');
    expect(feed.check({ client_id: 'c1' })).toBeNull();
    expect(feed.check({ sub: 'u1' })).toBe('token_revoked');
    expect(feed.check({ sub: 's1', gen: 2 })).toBe('token_revoked');
    expect(feed.check({ sub: 's1', gen: 3 })).toBeNull();
    expect(feed.check({ sub: 's1' })).toBeNull();
    expect(seen.slice(0, 3)).toEqual(['', '?since=10&wait=5', '?since=12&wait=5']);
  });

  it('replaces its state with a later snapshot, and drops a token entry once its exp has passed', async () => {
    const feed = follow([
      { cursor: '1', snapshot: true, max_token_lifetime: 60, events: [{ type: 'token', id: 'old', revoked: true, exp: now() + 600 }, { type: 'token', id: 'brief', revoked: true, exp: now() + 1 }] },
      { cursor: '50', snapshot: true, max_token_lifetime: 60, events: [{ type: 'user', id: 'u2', revoked: true }] },
    ]);
    await feed.ready();
    expect(feed.check({ jti: 'brief' })).toBe('token_revoked');
    await until(() => feed.cursor === '50');
    expect(feed.check({ jti: 'old' })).toBeNull();
    expect(feed.check({ sub: 'u2' })).toBe('token_revoked');
  });

  it('tells onError of a failure and retries from the same cursor', async () => {
    const seen: string[] = [];
    const errors: Error[] = [];
    const feed = follow(
      [
        { cursor: '7', snapshot: true, max_token_lifetime: 60, events: [] },
        'fail',
        { cursor: '8', snapshot: false, max_token_lifetime: 60, events: [{ type: 'token', id: 'late', revoked: true, exp: now() + 60 }] },
      ],
      seen,
      { onError: (e) => errors.push(e) },
    );
    await feed.ready();
    await until(() => feed.check({ jti: 'late' }) === 'token_revoked');
    expect(errors[0]?.message).toMatch(/503 \(temporarily_unavailable: down\)/);
    expect(seen.slice(0, 3)).toEqual(['', '?since=7&wait=5', '?since=7&wait=5']);
  });

  it('is stale before its first snapshot, and refuses options that would make it stale between answers', () => {
    const feed = follow([]);
    expect(feed.check({ jti: 'x' })).toBe('stale');
    expect(feed.cursor).toBeNull();
    expect(() => createRevocationFeed({ issuer: ISSUER, clientId: 'a', clientSecret: 'b', wait: 20, staleAfter: 20_000 })).toThrow(/staleAfter/);
    expect(() => createRevocationFeed({ issuer: ISSUER, clientId: 'a', clientSecret: 'b', wait: 31 })).toThrow(/wait/);
  });

  it('rejects ready() when no snapshot comes within staleAfter, and when closed', async () => {
    const failing = createRevocationFeed({ issuer: ISSUER, clientId: 'a', clientSecret: 'b', wait: 1, staleAfter: 1_100, fetch: scripted(['fail', 'fail', 'fail', 'fail', 'fail', 'fail'], []), onError: () => undefined });
    feeds.push(failing);
    await expect(failing.ready()).rejects.toThrow(/no snapshot within 1100 ms/);
    const closed = follow([]);
    closed.close();
    await expect(closed.ready()).rejects.toThrow(/closed/);
  });
});
