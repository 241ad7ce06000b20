import type { Storage } from '../storage.js';
import type { PersonalToken } from './personal-token.js';

/**
 * A record's current JWT stops being current (the record is deleted, replaced, or generated anew): it is
 * recorded as a revoked token id too, in the same transaction. Introspection needs nothing of it (the
 * record no longer names that `jti`), but the revocation feed must still name the `jti` to verifiers
 * once the record that knew it is gone.
 */
export async function retirePersonalJwt(tx: Pick<Storage, 'revocations'>, record: PersonalToken, now: number): Promise<void> {
  if (record.jti !== null && record.expiresAt > now) await tx.revocations.add({ jti: record.jti, expiresAt: record.expiresAt });
}
