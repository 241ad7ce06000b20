import type { Change } from '../changes/change-feed.js';
import type { Clock } from '../clock.js';
import type { Storage } from '../storage.js';
import type { PersonalToken } from '../personal-tokens/personal-token.js';
import { livePersonalTokenOwner, type PersonalTokenCheckDeps } from '../personal-tokens/check-personal-token.js';

/** One state assertion of the revocation feed (docs/revocation-feed.md): idempotent, applied in order. */
export type RevocationEvent =
  | { readonly type: 'token'; readonly id: string; readonly revoked: boolean; readonly exp: number }
  | { readonly type: 'client'; readonly id: string; readonly revoked: boolean }
  | { readonly type: 'user'; readonly id: string; readonly revoked: boolean }
  | { readonly type: 'generation'; readonly id: string; readonly generation: number }
  | { readonly type: 'key'; readonly id: string; readonly revoked: true };

/** The reads the feed's snapshot needs, beyond what the other stores offer. Plain reads: no lock. */
export interface RevocationStateStore {
  /** The client ids of every disabled client. */
  disabledClients(): Promise<string[]>;
  /** The ids of every disabled user. */
  disabledUsers(): Promise<string[]>;
  /** Every subject whose watermark generation is above 0 and moved at or after `since` (ms). */
  generations(since: number): Promise<{ readonly subject: string; readonly generation: number }[]>;
  /** Every personal token record with a current JWT (`jti`) that has not expired at `now` (revoked ones too). */
  issuedPersonalTokens(now: number): Promise<PersonalToken[]>;
}

export interface RevocationStateDeps extends PersonalTokenCheckDeps {
  readonly storage: Pick<Storage, 'revocations' | 'clients' | 'users' | 'watermarks' | 'personalTokens' | 'services' | 'revocationState' | 'keys'>;
  readonly clock: Clock;
  /** The longest any token lives (LATCHKEY_PAT_MAX_DAYS included): how far back the snapshot looks. */
  readonly maxTokenLifetimeSeconds: number;
}

const seconds = (ms: number): number => Math.ceil(ms / 1000);

// Personal tokens are judged a few at a time: each costs a few reads.
const PARALLEL = 16;

/**
 * Each record's current JWT as a `token` event: revoked unless the record is live by introspection's own
 * rule (livePersonalTokenOwner; the token's audiences are not at hand, so only its scopes are judged).
 */
async function personalTokenEvents(deps: RevocationStateDeps, records: readonly PersonalToken[]): Promise<RevocationEvent[]> {
  const events: RevocationEvent[] = [];
  for (let i = 0; i < records.length; i += PARALLEL) {
    const judged = await Promise.all(
      records.slice(i, i + PARALLEL).map(async (record): Promise<RevocationEvent | null> => {
        if (record.jti === null) return null;
        const revoked = (await livePersonalTokenOwner(deps, record, null)) === null;
        return { type: 'token', id: record.jti, revoked, exp: seconds(record.expiresAt) };
      }),
    );
    for (const event of judged) if (event) events.push(event);
  }
  return events;
}

/**
 * Keys revoked in an emergency rotation (`keys rotate --now`) that a token still valid can name: a verifier
 * that checked such a token before the rotation must drop it, not wait for its next JWKS fetch. A key's
 * ordinary retirement is not announced: nothing valid depends on it by then.
 */
async function revokedKeyEvents(deps: RevocationStateDeps, kids: ReadonlySet<string> | null, now: number): Promise<RevocationEvent[]> {
  const since = now - deps.maxTokenLifetimeSeconds * 1000;
  return (await deps.storage.keys.list())
    .filter((key) => key.revokedAt !== null && key.revokedAt > since && (kids === null || kids.has(key.kid)))
    .map((key): RevocationEvent => ({ type: 'key', id: key.kid, revoked: true }));
}

/** Everything a verifier must refuse now: revoked ids, disabled clients and users, generations, dead personal tokens, revoked keys. */
export async function revocationSnapshot(deps: RevocationStateDeps): Promise<RevocationEvent[]> {
  const now = deps.clock.now();
  const state = deps.storage.revocationState;
  const [revoked, clients, users, generations, records, keys] = await Promise.all([
    deps.storage.revocations.listActive(now),
    state.disabledClients(),
    state.disabledUsers(),
    state.generations(now - deps.maxTokenLifetimeSeconds * 1000),
    state.issuedPersonalTokens(now),
    revokedKeyEvents(deps, null, now),
  ]);
  const tokens = new Map<string, RevocationEvent>();
  for (const entry of revoked) tokens.set(entry.jti, { type: 'token', id: entry.jti, revoked: true, exp: seconds(entry.expiresAt) });
  for (const event of await personalTokenEvents(deps, records)) {
    if (event.type === 'token' && event.revoked) tokens.set(event.id, event);
  }
  return [
    ...tokens.values(),
    ...clients.map((id): RevocationEvent => ({ type: 'client', id, revoked: true })),
    ...users.map((id): RevocationEvent => ({ type: 'user', id, revoked: true })),
    ...generations.map(({ subject, generation }): RevocationEvent => ({ type: 'generation', id: subject, generation })),
    ...keys,
  ];
}

/**
 * What `changes` mean to a verifier, read as things are now (a later change read here as well is only
 * announced early; the next answer repeats it). A client, catalog, application or team change can take a
 * personal token's rights away (or give them back), so it has every issued personal token judged again.
 */
export async function revocationEvents(deps: RevocationStateDeps, changes: readonly Change[]): Promise<RevocationEvent[]> {
  const ids = { revocation: new Set<string>(), client: new Set<string>(), user: new Set<string>(), personal_token: new Set<string>(), watermark: new Set<string>(), key: new Set<string>() };
  let everyPersonalToken = false;
  for (const change of changes) {
    if (change.entity in ids) ids[change.entity as keyof typeof ids].add(change.id);
    if (change.entity === 'client' || change.entity === 'service' || change.entity === 'application' || change.entity === 'team') everyPersonalToken = true;
  }
  const { storage } = deps;
  const now = deps.clock.now();
  const events: RevocationEvent[] = [];
  for (const jti of ids.revocation) {
    const entry = await storage.revocations.get(jti);
    if (entry && entry.expiresAt > now) events.push({ type: 'token', id: jti, revoked: true, exp: seconds(entry.expiresAt) });
  }
  for (const id of ids.client) {
    const client = await storage.clients.get(id);
    events.push({ type: 'client', id, revoked: !client?.enabled });
  }
  for (const id of ids.user) {
    const user = await storage.users.get(id);
    events.push({ type: 'user', id, revoked: !user || user.disabledAt !== null });
  }
  const records = everyPersonalToken ? await storage.revocationState.issuedPersonalTokens(now) : await recordsNamed(deps, ids.personal_token, ids.user, now);
  events.push(...(await personalTokenEvents(deps, records)));
  for (const subject of ids.watermark) {
    events.push({ type: 'generation', id: subject, generation: await storage.watermarks.get(subject) });
  }
  if (ids.key.size > 0) events.push(...(await revokedKeyEvents(deps, ids.key, now)));
  return events;
}

/** The issued, unexpired records with these ids or of these owners. */
async function recordsNamed(deps: RevocationStateDeps, ids: ReadonlySet<string>, owners: ReadonlySet<string>, now: number): Promise<PersonalToken[]> {
  const found = new Map<string, PersonalToken>();
  for (const id of ids) {
    const record = await deps.storage.personalTokens.get(id);
    if (record) found.set(record.id, record);
  }
  for (const userId of owners) {
    for (const record of await deps.storage.personalTokens.list({ userId, limit: 10_000 })) found.set(record.id, record);
  }
  return [...found.values()].filter((r) => r.jti !== null && r.expiresAt > now);
}
