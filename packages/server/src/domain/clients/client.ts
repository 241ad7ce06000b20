/** Access to one service, with the scopes granted (empty: the service defines none). */
export interface ClientGrant {
  readonly service: string;
  readonly scopes: readonly string[];
}

export interface ClientSecretRecord {
  readonly id: string;
  /** HMAC-SHA256 under the server key (see ServerKeyring.hash); never the secret. */
  readonly hash: string;
  readonly createdAt: number;
  /** Set when a newer secret replaced this one: it stops working at this time. */
  readonly expiresAt: number | null;
  readonly lastUsedAt: number | null;
}

/** The credential of one application in one environment. */
export interface Client {
  readonly clientId: string;
  readonly applicationId: string;
  /** The application's acronym (joined, for the `app` claim). */
  readonly acronym: string;
  readonly env: string;
  readonly enabled: boolean;
  /** Access-token lifetime in seconds. */
  readonly tokenTtl: number;
  readonly grants: readonly ClientGrant[];
  readonly secrets: readonly ClientSecretRecord[];
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly rotatedAt: number | null;
  readonly lastUsedAt: number | null;
}

export interface ClientUse {
  readonly clientId: string;
  readonly secretId: string;
  readonly at: number;
}

export interface ClientStore {
  /**
   * Inserts the client with its secrets. A client for the same application and environment (or the same
   * client id) exists: DomainError `conflict`. Of concurrent callers for one application and environment,
   * exactly one succeeds.
   */
  create(client: Client): Promise<void>;
  get(clientId: string): Promise<Client | null>;
  /**
   * Ordered by acronym, then creation. `memberId`: only the clients of applications this user is a member
   * of (what a personal access token may draw on), read in one query.
   */
  list(filter: { readonly acronym?: string; readonly memberId?: string }): Promise<Client[]>;
  /**
   * The ids of up to `limit` clients, the most recently used first (never used: last, by id): which
   * clients to load into a cache of that size at start-up.
   */
  recentlyUsedIds(limit: number): Promise<string[]>;
  /** The clients among `clientIds` (unknown ids are left out), in one query. */
  getMany(clientIds: readonly string[]): Promise<Client[]>;
  /** Returns false when no such client exists. */
  setEnabled(clientId: string, enabled: boolean, at: number): Promise<boolean>;
  /**
   * Adds a secret and sets every other unexpired secret of the client to expire at `othersExpireAt`
   * (`at` itself: at once), in one transaction. Returns false when no such client exists.
   */
  addSecret(clientId: string, secret: ClientSecretRecord, othersExpireAt: number, at: number): Promise<boolean>;
  /** Moves last-used times forward (never back) for the clients and secrets named. */
  recordUses(uses: readonly ClientUse[]): Promise<void>;
}

/** Access-token lifetime bounds for clients, in seconds. */
export const CLIENT_TOKEN_TTL = { default: 600, min: 30, max: 86_400 } as const;
