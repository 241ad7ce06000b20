import type { Clock } from '../clock.js';
import type { Random } from '../random.js';
import type { Storage } from '../storage.js';
import type { ServerKeyring } from '../secrets/server-key.js';
import type { User } from '../users/user.js';
import { SESSION_ABSOLUTE_MS, type Session } from './session.js';

export interface SessionDeps {
  readonly storage: Pick<Storage, 'sessions' | 'users' | 'transaction'>;
  readonly clock: Clock;
  readonly random: Random;
  readonly serverKeys: ServerKeyring;
}

export interface StartedSession {
  readonly session: Session;
  /** `<id>.<secret>`, the cookie value; only its hash is stored. */
  readonly token: string;
}

/** Opens a session for a user who has just proven who they are; the caller audits the log-in. */
export async function startSession(
  deps: SessionDeps,
  tx: Storage,
  input: { readonly user: User; readonly address: string | null; readonly userAgent: string | null },
): Promise<StartedSession> {
  const now = deps.clock.now();
  const id = deps.random.bytes(16).toString('base64url');
  const secret = deps.random.bytes(32).toString('base64url');
  const session: Session = {
    id,
    userId: input.user.id,
    secretHash: deps.serverKeys.hash(secret),
    createdAt: now,
    lastSeenAt: now,
    expiresAt: now + SESSION_ABSOLUTE_MS,
    address: input.address,
    userAgent: input.userAgent === null ? null : input.userAgent.slice(0, 300),
  };
  await tx.sessions.create(session);
  return { session, token: `${id}.${secret}` };
}
