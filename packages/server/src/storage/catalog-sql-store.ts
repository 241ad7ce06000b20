import type { Application, ApplicationStatus, ApplicationStore } from '../domain/applications/application.js';
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
    async list() {
      return (await db.selectFrom('services').selectAll().orderBy('key').execute()).map(toService);
    },
  };
}

function toApplication(row: Database['applications']): Application {
  return {
    id: row.id,
    acronym: row.acronym,
    name: row.name,
    description: row.description,
    status: row.status as ApplicationStatus,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function createApplicationSqlStore(ctx: SqlContext): ApplicationStore {
  const { db } = ctx;
  return {
    create: (app) =>
      atomically(db, async (trx) => {
        await recordChange(ctx, trx, 'application', app.id);
        await conflictAs(`the acronym ${app.acronym} is taken`, () =>
          trx
            .insertInto('applications')
            .values({
              id: app.id,
              acronym: app.acronym.toUpperCase(),
              name: app.name,
              description: app.description,
              status: app.status,
              created_at: app.createdAt,
              updated_at: app.updatedAt,
            })
            .execute(),
        );
      }),
    async getByAcronym(acronym) {
      if (!storable(acronym)) return null;
      const row = await db.selectFrom('applications').selectAll().where('acronym', '=', acronym.toUpperCase()).executeTakeFirst();
      return row ? toApplication(row) : null;
    },
    async list() {
      return (await db.selectFrom('applications').selectAll().orderBy('acronym').execute()).map(toApplication);
    },
  };
}
