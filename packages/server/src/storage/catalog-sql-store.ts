import type { Service, ServiceScope, ServiceStore } from '../domain/catalog/service.js';
import type { Database } from './schema.js';
import { atomically, conflictAs, parseJson, recordChange, storable, type SqlContext } from './sql-context.js';

function toService(row: Database['services']): Service {
  return {
    key: row.key,
    name: row.name,
    description: row.description,
    scopes: parseJson<ServiceScope[]>(row.scopes),
    audiences: parseJson<Record<string, string>>(row.audiences),
    baseUrls: parseJson<Record<string, string>>(row.base_urls),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    retiredAt: row.retired_at,
  };
}

export function createServiceSqlStore(ctx: SqlContext): ServiceStore {
  const { db } = ctx;
  return {
    create: (service) =>
      atomically(db, async (trx) => {
        await recordChange(ctx, trx, 'service', service.key);
        await conflictAs(`a service with key "${service.key}" exists already`, () =>
          trx
            .insertInto('services')
            .values({
              key: service.key,
              name: service.name,
              description: service.description,
              scopes: JSON.stringify(service.scopes),
              audiences: JSON.stringify(service.audiences),
              base_urls: JSON.stringify(service.baseUrls),
              created_at: service.createdAt,
              updated_at: service.updatedAt,
              retired_at: service.retiredAt,
            })
            .execute(),
        );
      }),
    async get(key) {
      if (!storable(key)) return null;
      const row = await db.selectFrom('services').selectAll().where('key', '=', key).executeTakeFirst();
      return row ? toService(row) : null;
    },
    update: (service) =>
      atomically(db, async (trx) => {
        if (!storable(service.key)) return false;
        await recordChange(ctx, trx, 'service', service.key);
        const result = await trx
          .updateTable('services')
          .set({
            name: service.name,
            description: service.description,
            scopes: JSON.stringify(service.scopes),
            audiences: JSON.stringify(service.audiences),
            base_urls: JSON.stringify(service.baseUrls),
            updated_at: service.updatedAt,
            retired_at: service.retiredAt,
          })
          .where('key', '=', service.key)
          .executeTakeFirst();
        return Number(result.numUpdatedRows) > 0;
      }),
    async list() {
      return (await db.selectFrom('services').selectAll().orderBy('key').execute()).map(toService);
    },
  };
}
