import type { AuditLog } from '../domain/audit/audit-event.js';
import { parseJson, type SqlContext } from './sql-context.js';

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
