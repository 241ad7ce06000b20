import type { Clock } from '../clock.js';
import type { Storage } from '../storage.js';
import { DomainError } from '../errors.js';
import { auditActor } from '../actor.js';
import { getPersonalToken, type PersonalTokenInput } from './get-personal-token.js';
import { retirePersonalJwt } from './retire-personal-jwt.js';

/**
 * The owner deletes one of their records: its JWT is inactive at once. Allowed without the `pat` role, so
 * a user who lost it can still clean up.
 */
export async function deletePersonalToken(deps: { readonly storage: Pick<Storage, 'personalTokens' | 'transaction'>; readonly clock: Clock }, input: PersonalTokenInput): Promise<void> {
  const record = await getPersonalToken(deps, input);
  const now = deps.clock.now();
  await deps.storage.transaction(async (tx) => {
    if (!(await tx.personalTokens.delete(record.id))) throw new DomainError('not_found', `you have no personal access token with id ${input.id}`);
    await retirePersonalJwt(tx, record, now);
    await tx.audit.append({ at: now, ...auditActor(input.actor), action: 'personal_token.deleted', target: `personal_token:${record.id}`, details: { name: record.name, owner: record.userId } });
  });
}
