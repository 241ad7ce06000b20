/**
 * A signed-in browser. The cookie carries `<id>.<secret>`; storage keeps only an HMAC of the secret under
 * the server key (as for client secrets), so a copy of the database cannot be replayed as a session.
 */
export interface Session {
  readonly id: string;
  readonly userId: string;
  /** `hmac-sha256$<keyId>$…` of the secret half of the cookie. */
  readonly secretHash: string;
  readonly createdAt: number;
  readonly lastSeenAt: number;
  /** Absolute end, whatever the activity. */
  readonly expiresAt: number;
  readonly address: string | null;
  readonly userAgent: string | null;
}

/**
 * Sessions end after SESSION_IDLE_MS without a request, and SESSION_ABSOLUTE_MS after log-in in any case
 * (OWASP session management: an idle and an absolute timeout). Activity is recorded at most once per
 * SESSION_TOUCH_MS, so browsing does not write on every request.
 */
export const SESSION_IDLE_MS = 12 * 60 * 60_000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60_000;
export const SESSION_TOUCH_MS = 60_000;

export interface SessionStore {
  create(session: Session): Promise<void>;
  get(id: string): Promise<Session | null>;
  /** Records activity; a session deleted meanwhile stays deleted. */
  touch(id: string, at: number): Promise<void>;
  /** Deletes one session; false when it did not exist (ended already). */
  delete(id: string): Promise<boolean>;
  /** Deletes every session of the user; answers how many there were. */
  deleteForUser(userId: string): Promise<number>;
  /** Deletes sessions past their absolute end or idle since before `idleBefore`. */
  prune(now: number, idleBefore: number): Promise<number>;
}

export function isSessionLive(session: Session, now: number): boolean {
  return now < session.expiresAt && now - session.lastSeenAt < SESSION_IDLE_MS;
}
