import type { Role, User, UserStore } from '../domain/users/user.js';
import type { Database } from './schema.js';
import { atomically, conflictAs, parseJson, recordChange, storable, type SqlContext } from './sql-context.js';

function toUser(row: Database['users']): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    passwordHash: row.password_hash,
    roles: parseJson<Role[]>(row.roles),
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
  };
}

export function createUserSqlStore(ctx: SqlContext): UserStore {
  const { db } = ctx;
  return {
    create: (user) =>
      atomically(db, async (trx) => {
        await recordChange(ctx, trx, 'user', user.id);
        await conflictAs(`a user with email ${user.email} exists already`, () =>
          trx
            .insertInto('users')
            .values({
              id: user.id,
              email: user.email.toLowerCase(),
              name: user.name,
              password_hash: user.passwordHash,
              roles: JSON.stringify(user.roles),
              created_at: user.createdAt,
              disabled_at: user.disabledAt,
            })
            .execute(),
        );
      }),
    async get(id) {
      if (!storable(id)) return null;
      const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toUser(row) : null;
    },
    async getByEmail(email) {
      if (!storable(email)) return null;
      const row = await db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
      return row ? toUser(row) : null;
    },
    async countWithRole(role) {
      // Roles are few and users with them fewer; filtering in code keeps the JSON column portable.
      const rows = await db.selectFrom('users').select('roles').where('disabled_at', 'is', null).execute();
      return rows.filter((r) => parseJson<Role[]>(r.roles).includes(role)).length;
    },
    setRoles: (id, roles) =>
      atomically(db, async (trx) => {
        await recordChange(ctx, trx, 'user', id);
        const result = await trx.updateTable('users').set({ roles: JSON.stringify(roles) }).where('id', '=', id).executeTakeFirst();
        return result.numUpdatedRows > 0n;
      }),
    setDisabled: (id, at) =>
      atomically(db, async (trx) => {
        await recordChange(ctx, trx, 'user', id);
        const result = await trx.updateTable('users').set({ disabled_at: at }).where('id', '=', id).executeTakeFirst();
        return result.numUpdatedRows > 0n;
      }),
    async list({ limit, after, role }) {
      let query = db.selectFrom('users').selectAll().orderBy('email');
      if (after !== undefined) query = query.where('email', '>', storable(after) ? after : '');
      if (role === undefined) return (await query.limit(limit).execute()).map(toUser);
      // Role filter in code (the JSON column stays portable): read on in pages until `limit` holders are found.
      const found: User[] = [];
      let cursor = after;
      for (;;) {
        let page = db.selectFrom('users').selectAll().orderBy('email').limit(500);
        if (cursor !== undefined) page = page.where('email', '>', storable(cursor) ? cursor : '');
        const rows = await page.execute();
        for (const row of rows) {
          const user = toUser(row);
          if (user.roles.includes(role)) found.push(user);
          if (found.length === limit) return found;
        }
        if (rows.length < 500) return found;
        cursor = rows[rows.length - 1]?.email;
      }
    },
    async listWithRole(role) {
      const rows = await db.selectFrom('users').selectAll().where('disabled_at', 'is', null).orderBy('email').execute();
      return rows.map(toUser).filter((u) => u.roles.includes(role));
    },
  };
}
