import type { EnvironmentRegistration, RegistrationStatus, RegistrationStore, ServiceRequest } from '../domain/environments/environment-registration.js';
import type { Database } from './schema.js';
import { atomically, conflictAs, parseJson, recordChange, storable, type SqlContext } from './sql-context.js';

function toRegistration(row: Database['environment_registrations']): EnvironmentRegistration {
  return {
    id: row.id,
    applicationId: row.application_id,
    env: row.env,
    status: row.status as RegistrationStatus,
    name: row.name,
    description: row.description,
    services: parseJson<ServiceRequest[]>(row.services),
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    reason: row.reason,
    clientId: row.client_id,
  };
}

export function createRegistrationSqlStore(ctx: SqlContext): RegistrationStore {
  const { db } = ctx;
  return {
    open: (r) =>
      atomically(db, async (trx) => {
        await recordChange(ctx, trx, 'team', r.applicationId);
        // A rejected registration may be asked for again: it makes room for the new one.
        await trx
          .deleteFrom('environment_registrations')
          .where('application_id', '=', r.applicationId)
          .where('env', '=', r.env)
          .where('status', '=', 'rejected')
          .execute();
        await conflictAs(`environment ${r.env} is registered already`, () =>
          trx
            .insertInto('environment_registrations')
            .values({
              id: r.id,
              application_id: r.applicationId,
              env: r.env,
              status: r.status,
              name: r.name,
              description: r.description,
              services: JSON.stringify(r.services),
              requested_by: r.requestedBy,
              requested_at: r.requestedAt,
              decided_by: r.decidedBy,
              decided_at: r.decidedAt,
              reason: r.reason,
              client_id: r.clientId,
            })
            .execute(),
        );
      }),
    async get(applicationId, env) {
      if (!storable(applicationId) || !storable(env)) return null;
      const row = await db
        .selectFrom('environment_registrations')
        .selectAll()
        .where('application_id', '=', applicationId)
        .where('env', '=', env)
        .executeTakeFirst();
      return row ? toRegistration(row) : null;
    },
    async list(applicationId) {
      const rows = await db.selectFrom('environment_registrations').selectAll().where('application_id', '=', applicationId).orderBy('requested_at').execute();
      return rows.map(toRegistration);
    },
    decide: (applicationId, env, d) =>
      atomically(db, async (trx) => {
        await recordChange(ctx, trx, 'team', applicationId);
        const row = await trx
          .updateTable('environment_registrations')
          .set({ status: d.status, decided_by: d.by, decided_at: d.at, reason: d.reason, client_id: d.clientId })
          .where('application_id', '=', applicationId)
          .where('env', '=', env)
          .where('status', '=', 'pending')
          .returningAll()
          .executeTakeFirst();
        return row ? toRegistration(row) : null;
      }),
  };
}
