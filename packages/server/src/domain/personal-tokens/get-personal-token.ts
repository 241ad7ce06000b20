import { actingUser, type Actor } from '../actor.js';
import { DomainError } from '../errors.js';
import type { Storage } from '../storage.js';
import type { PersonalToken } from './personal-token.js';

/** One of the caller's records, by id. */
export interface PersonalTokenInput {
  readonly actor: Actor;
  readonly id: string;
}

/**
 * One of the caller's own records, or `not_found` (someone else's record is not found, not forbidden). No
 * role needed: someone who lost `pat` can still see and delete their records.
 */
export async function getPersonalToken(deps: { readonly storage: Pick<Storage, 'personalTokens'> }, input: PersonalTokenInput): Promise<PersonalToken> {
  const owner = actingUser(input.actor, 'reading personal access tokens');
  const record = await deps.storage.personalTokens.get(input.id);
  if (!record || record.userId !== owner.id) throw new DomainError('not_found', `you have no personal access token with id ${input.id}`);
  return record;
}
