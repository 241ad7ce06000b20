import type { PublicJwk, SigningAlg, SigningKeyRecord, SigningKeyStore } from '../domain/keys/signing-key.js';
import type { RevocationStore } from '../domain/tokens/denylist.js';
import type { ChangeEntity, ChangeStore } from '../domain/changes/change-feed.js';
import type { AuditLog } from '../domain/audit/audit-event.js';
import { atomically, parseJson, recordChange, storable, type SqlContext } from './sql-context.js';

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

export function createRevocationSqlStore(ctx: SqlContext): RevocationStore {
  const { db } = ctx;
  return {
    add: (token) =>
      atomically(db, async (trx) => {
        await recordChange(ctx, trx, 'revocation', token.jti);
        await trx
          .insertInto('revoked_tokens')
          .values({ jti: token.jti, expires_at: token.expiresAt })
          .onConflict((oc) => oc.column('jti').doNothing())
          .execute();
      }),
    async listActive(now) {
      const rows = await db.selectFrom('revoked_tokens').selectAll().where('expires_at', '>', now).execute();
      return rows.map((r) => ({ jti: r.jti, expiresAt: r.expires_at }));
    },
    async get(jti) {
      if (!storable(jti)) return null;
      const row = await db.selectFrom('revoked_tokens').selectAll().where('jti', '=', jti).executeTakeFirst();
      return row ? { jti: row.jti, expiresAt: row.expires_at } : null;
    },
    async prune(now) {
      const result = await db.deleteFrom('revoked_tokens').where('expires_at', '<=', now).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export function createChangeSqlStore(ctx: SqlContext): ChangeStore {
  const { db } = ctx;
  return {
    async latest() {
      const row = await db.selectFrom('meta').select('change_seq').where('id', '=', 1).executeTakeFirstOrThrow();
      return row.change_seq;
    },
    async since(seq, limit) {
      const rows = await db.selectFrom('changes').selectAll().where('seq', '>', seq).orderBy('seq').limit(limit).execute();
      return rows.map((r) => ({ seq: r.seq, entity: r.entity as ChangeEntity, id: r.entity_id, at: r.created_at }));
    },
    async prune(before) {
      const result = await db.deleteFrom('changes').where('created_at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export function createAuditSqlLog(ctx: SqlContext): AuditLog {
  const { db } = ctx;
  return {
    async append(event) {
      await db
        .insertInto('audit_events')
        .values({ at: event.at, actor: event.actor, action: event.action, target: event.target, address: event.address, details: JSON.stringify(event.details) })
        .execute();
    },
    async list({ limit, before, actionPrefixes, actor, action, targets, since, until }) {
      let query = db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').limit(limit);
      if (before !== undefined) query = query.where('id', '<', before);
      if (actionPrefixes !== undefined) {
        // Prefixes are the domain's own constants (no LIKE wildcards in them), compared with substr for portability.
        query = query.where((eb) => eb.or(actionPrefixes.map((p) => eb(eb.fn('substr', ['action', eb.val(1), eb.val(p.length)]), '=', p))));
      }
      if (actor !== undefined) query = query.where('actor', '=', actor);
      if (action !== undefined) query = query.where('action', '=', action);
      if (targets !== undefined) query = query.where((eb) => (targets.length === 0 ? eb('id', '<', 0) : eb('target', 'in', [...targets])));
      if (since !== undefined) query = query.where('at', '>=', since);
      if (until !== undefined) query = query.where('at', '<', until);
      const rows = await query.execute();
      return rows.map((r) => ({ id: r.id, at: r.at, actor: r.actor, action: r.action, target: r.target, address: r.address, details: parseJson<Record<string, unknown>>(r.details) }));
    },
  };
}
