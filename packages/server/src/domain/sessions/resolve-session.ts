import type { Principal } from '../users/principal.js';
import { isSessionLive, SESSION_TOUCH_MS } from './session.js';
import type { SessionDeps } from './start-session.js';

const TOKEN = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

/**
 * The principal behind a session cookie, or null: malformed, unknown, wrong secret, expired, or the user
 * disabled: all alike. The user is read from storage every time, so role changes hold at once.
 */
export async function resolveSession(deps: Pick<SessionDeps, 'storage' | 'clock' | 'serverKeys'>, input: { readonly token: string }): Promise<Principal | null> {
  const match = TOKEN.exec(input.token);
  if (!match?.[1] || !match[2]) return null;
  const session = await deps.storage.sessions.get(match[1]);
  if (!session || !deps.serverKeys.verify(match[2], session.secretHash)) return null;
  const now = deps.clock.now();
  if (!isSessionLive(session, now)) {
    await deps.storage.sessions.delete(session.id);
    return null;
  }
  const user = await deps.storage.users.get(session.userId);
  if (!user || user.disabledAt !== null) return null;
  if (now - session.lastSeenAt >= SESSION_TOUCH_MS) await deps.storage.sessions.touch(session.id, now);
  return { user, via: 'session', credentialId: session.id, scopes: null };
}
