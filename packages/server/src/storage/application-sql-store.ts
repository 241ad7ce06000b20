import type { Application, ApplicationStatus, ApplicationStore } from '../domain/applications/application.js';
import type { Database } from './schema.js';
import { atomically, conflictAs, recordChange, storable, type SqlContext } from './sql-context.js';

function toApplication(row: Database['applications']): Application {
  return {
    id: row.id,
    acronym: row.acronym,
    name: row.name,
    description: row.description,
    status: row.status as ApplicationStatus,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    decisionReason: row.decision_reason,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
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
              requested_by: app.requestedBy,
              requested_at: app.requestedAt,
              decision_reason: app.decisionReason,
              decided_by: app.decidedBy,
              decided_at: app.decidedAt,
            })
            .execute(),
        );
      }),
    async get(id) {
      if (!storable(id)) return null;
      const row = await db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toApplication(row) : null;
    },
    async getByAcronym(acronym) {
      if (!storable(acronym)) return null;
      const row = await db.selectFrom('applications').selectAll().where('acronym', '=', acronym.toUpperCase()).executeTakeFirst();
      return row ? toApplication(row) : null;
    },
    async list() {
      return (await db.selectFrom('applications').selectAll().orderBy('acronym').execute()).map(toApplication);
    },
    async page({ limit, after, status, memberId }) {
      let query = db.selectFrom('applications').selectAll().orderBy('acronym').limit(limit);
      if (after !== undefined) query = query.where('acronym', '>', after);
      if (status !== undefined) query = query.where('status', '=', status);
      if (memberId !== undefined) {
        if (!storable(memberId)) return [];
        query = query.where('id', 'in', db.selectFrom('application_members').select('application_id').where('user_id', '=', memberId));
      }
      return (await query.execute()).map(toApplication);
    },
    async lastRequestedBy(userId) {
      if (!storable(userId)) return null;
      const row = await db
        .selectFrom('applications')
        .selectAll()
        .where('requested_by', '=', userId)
        .orderBy('created_at', 'desc')
        .orderBy('acronym')
        .limit(1)
        .executeTakeFirst();
      return row ? toApplication(row) : null;
    },
    decide: (applicationId, decision) =>
      atomically(db, async (trx) => {
        await recordChange(ctx, trx, 'application', applicationId);
        // The status condition makes the transition happen once, whoever else decides at the same moment.
        const row = await trx
          .updateTable('applications')
          .set({ status: decision.status, decision_reason: decision.reason, decided_by: decision.by, decided_at: decision.at, updated_at: decision.at })
          .where('id', '=', applicationId)
          .where('status', '=', 'pending')
          .returningAll()
          .executeTakeFirst();
        return row ? toApplication(row) : null;
      }),
    reopen: (applicationId, r) =>
      atomically(db, async (trx) => {
        await recordChange(ctx, trx, 'application', applicationId);
        const row = await trx
          .updateTable('applications')
          .set({ status: 'pending', name: r.name, description: r.description, requested_by: r.requestedBy, requested_at: r.at, decision_reason: null, decided_by: null, decided_at: null, updated_at: r.at })
          .where('id', '=', applicationId)
          .where('status', '=', 'rejected')
          .returningAll()
          .executeTakeFirst();
        return row ? toApplication(row) : null;
      }),
  };
}
