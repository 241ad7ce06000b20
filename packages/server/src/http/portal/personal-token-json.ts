import type { PersonalTokenJson } from '@latchkey/contract';
import type { PersonalToken } from '../../domain/personal-tokens/personal-token.js';
import { personalTokenStatus } from '../../domain/personal-tokens/list-personal-tokens.js';
import type { User } from '../../domain/users/user.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** A personal token record as the API shows it: never the token itself. */
export function toPersonalTokenJson(record: PersonalToken, now: number, owner: Pick<User, 'id' | 'email'> | null): PersonalTokenJson {
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
