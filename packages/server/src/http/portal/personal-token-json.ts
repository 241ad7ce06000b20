import { Type } from 'typebox';
import type { PersonalToken } from '../../domain/personal-tokens/personal-token.js';
import { personalTokenStatus } from '../../domain/personal-tokens/list-personal-tokens.js';
import type { User } from '../../domain/users/user.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const DateTimeOrNull = (description: string) => Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description });

/** A personal token record as the API shows it: never the token itself. */
export const PersonalTokenJson = Type.Object({
  id: Type.String(),
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  expires_at: Type.String({ format: 'date-time' }),
  created_at: Type.String({ format: 'date-time' }),
  generated_at: DateTimeOrNull('when the current token was generated; null before the first generate'),
  last_used_at: DateTimeOrNull('last use seen (portal API or introspection), written in batches: up to a few seconds behind'),
  last_used_from: Type.Union([Type.String(), Type.Null()], { description: 'address of the last portal API use; null when unknown' }),
  revoked_at: DateTimeOrNull('when a token administrator revoked it'),
  status: Type.Union([Type.Literal('not_generated'), Type.Literal('active'), Type.Literal('expired'), Type.Literal('revoked')]),
  user: Type.Object({ id: Type.String(), email: Type.Union([Type.String(), Type.Null()]) }),
}, { title: 'PersonalToken' });

export function toPersonalTokenJson(record: PersonalToken, now: number, owner: Pick<User, 'id' | 'email'> | null) {
  return {
    id: record.id,
    name: record.name,
    scopes: [...record.scopes],
    expires_at: new Date(record.expiresAt).toISOString(),
    created_at: new Date(record.createdAt).toISOString(),
    generated_at: iso(record.generatedAt),
    last_used_at: iso(record.lastUsedAt),
    last_used_from: record.lastUsedFrom,
    revoked_at: iso(record.revokedAt),
    status: personalTokenStatus(record, now),
    user: { id: record.userId, email: owner?.email ?? null },
  };
}

export const TokenId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
