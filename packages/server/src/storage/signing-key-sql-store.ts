import type { PublicJwk, SigningAlg, SigningKeyRecord, SigningKeyStore } from '../domain/keys/signing-key.js';
import { atomically, parseJson, recordChange, type SqlContext } from './sql-context.js';

export function createKeySqlStore(ctx: SqlContext): SigningKeyStore {
  const { db } = ctx;
  return {
    async list() {
      const rows = await db.selectFrom('signing_keys').selectAll().orderBy('created_at').orderBy('kid').execute();
      return rows.map(
        (row): SigningKeyRecord => ({
          kid: row.kid,
          alg: row.alg as SigningAlg,
          publicJwk: parseJson<PublicJwk>(row.public_jwk),
          encryptedPrivateKey: row.private_key,
          createdAt: row.created_at,
          activatesAt: row.activates_at,
          revokedAt: row.revoked_at,
        }),
      );
    },
    insert: (key) =>
      atomically(db, async (trx) => {
        await recordChange(ctx, trx, 'key', key.kid);
        await trx
          .insertInto('signing_keys')
          .values({
            kid: key.kid,
            alg: key.alg,
            public_jwk: JSON.stringify(key.publicJwk),
            private_key: key.encryptedPrivateKey,
            created_at: key.createdAt,
            activates_at: key.activatesAt,
            revoked_at: key.revokedAt,
          })
          .execute();
      }),
    setActivation: (kid, activatesAt) =>
      atomically(db, async (trx) => {
        await recordChange(ctx, trx, 'key', kid);
        await trx.updateTable('signing_keys').set({ activates_at: activatesAt }).where('kid', '=', kid).execute();
      }),
    revoke: (kid, at) =>
      atomically(db, async (trx) => {
        await recordChange(ctx, trx, 'key', kid);
        await trx.updateTable('signing_keys').set({ revoked_at: at }).where('kid', '=', kid).where('revoked_at', 'is', null).execute();
      }),
  };
}
