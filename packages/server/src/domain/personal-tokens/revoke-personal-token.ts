import type { Clock } from '../clock.js';
import type { Random } from '../random.js';
import type { Storage } from '../storage.js';
import { DomainError } from '../errors.js';
import { actingUser, auditActor, requireRole } from '../actor.js';
import type { OwnedPersonalToken } from './list-personal-tokens.js';
import type { PersonalTokenInput } from './get-personal-token.js';
import { enqueuePersonalTokenNotice } from './personal-token-mail.js';

/**
 * A token administrator revokes anyone's record: its JWT is inactive at once, it can no longer be
 * generated, and the owner is emailed (with a link to create a replacement). The record stays, marked
 * revoked, so its owner sees what happened; revoking it again is a `conflict`. Answers the record and its owner.
 */
export async function revokePersonalToken(
  deps: { readonly storage: Pick<Storage, 'transaction'>; readonly clock: Clock; readonly random: Random; readonly issuer: string },
  input: PersonalTokenInput,
): Promise<OwnedPersonalToken> {
  const { actor, id } = input;
  requireRole(actor, 'token_admin', 'revoking personal access tokens');
  const by = actingUser(actor, 'revoking personal access tokens').id;
  const now = deps.clock.now();
  return deps.storage.transaction(async (tx) => {
    const record = await tx.personalTokens.get(id);
    if (!record) throw new DomainError('not_found', `no personal access token with id ${id}`);
    if (!(await tx.personalTokens.revoke(record.id, by, now))) {
      throw new DomainError('conflict', `personal access token "${record.name}" is revoked already`);
    }
    const revoked = { ...record, revokedAt: now, revokedBy: by };
    await tx.audit.append({ at: now, ...auditActor(actor), action: 'personal_token.revoked', target: `personal_token:${record.id}`, details: { name: record.name, owner: record.userId } });
    const owner = await tx.users.get(record.userId);
    if (owner) await enqueuePersonalTokenNotice(tx, { ...deps, now }, 'revoked', revoked, owner);
    return { record: revoked, owner };
  });
}
