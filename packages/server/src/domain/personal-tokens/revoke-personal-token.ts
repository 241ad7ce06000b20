import type { Clock } from '../clock.js';
import type { Storage } from '../storage.js';
import { DomainError } from '../errors.js';
import { actorOf, requireUserRole, type ActingUser } from '../users/acting-user.js';
import type { PersonalToken } from './personal-token.js';
import { enqueuePersonalTokenNotice } from './personal-token-mail.js';

/**
 * A token administrator revokes anyone's record: its JWT is inactive at once, it can no longer be
 * generated, and the owner is emailed (with a link to create a replacement). The record stays, marked
 * revoked, so its owner sees what happened; revoking it again is a `conflict`.
 */
export async function revokePersonalToken(
  deps: { readonly storage: Storage; readonly clock: Clock; readonly issuer: string },
  acting: ActingUser,
  id: string,
): Promise<PersonalToken> {
  requireUserRole(acting, 'token_admin', 'revoking personal access tokens');
  const now = deps.clock.now();
  return deps.storage.transaction(async (tx) => {
    const record = await tx.personalTokens.get(id);
    if (!record) throw new DomainError('not_found', `no personal access token with id ${id}`);
    if (!(await tx.personalTokens.revoke(record.id, acting.user.id, now))) {
      throw new DomainError('conflict', `personal access token "${record.name}" is revoked already`);
    }
    const revoked = { ...record, revokedAt: now, revokedBy: acting.user.id };
    await tx.audit.append({ at: now, ...actorOf(acting), action: 'personal_token.revoked', target: `personal_token:${record.id}`, details: { name: record.name, owner: record.userId } });
    const owner = await tx.users.get(record.userId);
    if (owner) await enqueuePersonalTokenNotice(tx, { issuer: deps.issuer, now }, 'revoked', revoked, owner);
    return revoked;
  });
}
