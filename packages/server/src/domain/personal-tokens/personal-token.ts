import type { TokenGeneration } from '../keys/signing-key.js';

/**
 * A personal access token record: a user's named, scoped, expiring credential. The record is what the user
 * manages; the JWT it issues ("generate") is shown once and is valid only while it is the record's current
 * `jti`, the record is neither revoked nor expired, its owner still holds `pat` and is not disabled, and
 * the owner may still hold every scope and audience of it (PersonalTokenRights).
 */
export interface PersonalToken {
  readonly id: string;
  readonly userId: string;
  /** Unique per user. */
  readonly name: string;
  readonly scopes: readonly string[];
  readonly expiresAt: number;
  /** The `jti` of the one JWT currently issued for this record, or null before the first generate. */
  readonly jti: string | null;
  readonly generatedAt: number | null;
  readonly lastUsedAt: number | null;
  /** The address the token was last used from (portal API) or null when unknown (introspection). */
  readonly lastUsedFrom: string | null;
  readonly createdAt: number;
  readonly revokedAt: number | null;
  /** The user id of the token administrator who revoked it. */
  readonly revokedBy: string | null;
}

export type NoticeKind = 'expiry_7d' | 'expiry_1d';

export interface PersonalTokenUse {
  readonly id: string;
  readonly at: number;
  readonly from: string | null;
}

export interface PersonalTokenFilter {
  readonly userId?: string;
  /** Only records whose expiry is before this time (ms). */
  readonly expiresBefore?: number;
  /** Only records last used before this time, or never used (ms): finding stale tokens. */
  readonly lastUsedBefore?: number;
  /** Continue below this record id (newest first: ids are time-ordered). */
  readonly before?: string;
  readonly limit: number;
}

/**
 * Storage of personal token records. Every mutation records a `personal_token` change in the same
 * transaction.
 */
export interface PersonalTokenStore {
  /** Inserts; the user has a record with this name already: DomainError `conflict` (exactly one of concurrent callers wins). */
  create(token: PersonalToken): Promise<void>;
  get(id: string): Promise<PersonalToken | null>;
  /** Newest first within `filter`, for the owner or a token administrator. */
  list(filter: PersonalTokenFilter): Promise<PersonalToken[]>;
  /**
   * Compare-and-set of the current JWT: sets `jti`/`generatedAt` only if the record exists, is not revoked
   * and its `jti` is still `expected`. Of concurrent callers with the same `expected`, exactly one gets true,
   * so exactly one freshly generated token survives.
   */
  replaceJti(id: string, expected: string | null, next: { readonly jti: string; readonly at: number }): Promise<boolean>;
  /** Sets `revokedAt`/`revokedBy` once; false when absent or revoked already (exactly one concurrent caller gets true). */
  revoke(id: string, by: string, at: number): Promise<boolean>;
  /** Deletes; false when absent (exactly one concurrent caller gets true). */
  delete(id: string): Promise<boolean>;
  /** Moves last-used time and address forward (never back). */
  recordUses(uses: readonly PersonalTokenUse[]): Promise<void>;
  /** Unrevoked records expiring in (`from`, `to`] that have not had notice `kind` yet. */
  dueForNotice(kind: NoticeKind, from: number, to: number, limit: number): Promise<PersonalToken[]>;
  /** Marks notice `kind` sent; false when it was marked already (exactly one concurrent caller gets true). */
  claimNotice(id: string, kind: NoticeKind, at: number): Promise<boolean>;
  /**
   * When each JWT that can still be valid at `now` was generated and when it expires (a current `jti`, not
   * revoked, not expired): what keeps the key that signed it in JWKS.
   */
  liveGenerations(now: number): Promise<TokenGeneration[]>;
}

/** `client_id` of every personal access token (RFC 9068 §2.2 requires one; no client has it). */
export const PERSONAL_TOKEN_CLIENT_ID = 'latchkey-personal-token';

/** The claim naming the record a JWT was generated from. */
export const PERSONAL_TOKEN_CLAIM = 'pat_id';

/**
 * Portal scopes. The portal API reads with any personal token of a `pat` holder; changing anything
 * (POST, PUT, PATCH, DELETE) needs `portal:write`. `portal:read` exists so a read-only token can say so
 * explicitly, and is part of the default. Any `pat` holder may hold both: a token acts as its owner, whose
 * roles (`admin`, `token_admin`) are checked on each request as they are then, never carried by the token.
 */
export const PORTAL_SCOPES = [
  { name: 'portal:read', description: 'Read the developer portal API as you' },
  { name: 'portal:write', description: 'Change things in the developer portal API as you' },
] as const;

export { PORTAL_WRITE_SCOPE } from '../users/principal.js';

/**
 * A "read scope" is one named `read` or ending in `:read` or `.read` (`email:read`, `docs.read`). A record
 * created without scopes gets exactly the catalog's read scopes (and `portal:read`), never everything.
 */
export function isReadScope(name: string): boolean {
  return name === 'read' || name.endsWith(':read') || name.endsWith('.read');
}
