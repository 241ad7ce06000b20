import { Type } from 'typebox';
import { AuditEventJson, DEFAULT_LIMIT, Page, PageQuery } from '@latchkey/contract';
import type { StoredAuditEvent } from '../../domain/audit/audit-event.js';
import { decodeCursor, isNumberKey, pageOf } from './pagination.js';
import { actorOf, requireUser } from './authentication.js';
import type { PortalRoutes } from './portal-routes.js';
import { problems } from './problem.js';

function toAuditJson(event: StoredAuditEvent): AuditEventJson {
  return { id: event.id, at: new Date(event.at).toISOString(), actor: event.actor, action: event.action, target: event.target, address: event.address, details: { ...event.details } };
}

const time = (value: string | undefined): number | undefined => (value === undefined ? undefined : Date.parse(value));

/** GET /api/v1/audit: the append-only audit log, newest first. */
export const registerAuditRoutes: PortalRoutes = (app, deps) => {
  app.get(
    '/audit',
    {
      onRequest: requireUser,
      schema: {
        operationId: 'listAuditEvents',
        tags: ['audit'],
        summary: "The audit log, newest first: administrators read all of it; members read their application's (?application=)",
        querystring: Type.Object({
          ...PageQuery.properties,
          application: Type.Optional(Type.String({ minLength: 2, maxLength: 16, description: "an application's acronym: its events and its clients'" })),
          actor: Type.Optional(Type.String({ maxLength: 200, description: 'exactly, e.g. user:<id>' })),
          action: Type.Optional(Type.String({ maxLength: 100, description: 'exactly, e.g. session.started' })),
          target: Type.Optional(Type.String({ maxLength: 300, description: 'exactly, e.g. service:email' })),
          since: Type.Optional(Type.String({ format: 'date-time', description: 'from this time (inclusive)' })),
          until: Type.Optional(Type.String({ format: 'date-time', description: 'until this time (exclusive)' })),
        }),
        response: { 200: Page(AuditEventJson), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { query } = request;
      const limit = query.limit ?? DEFAULT_LIMIT;
      const events = await deps.useCases.listAuditEvents({
        actor: actorOf(request),
        limit: limit + 1,
        before: decodeCursor(query.cursor, isNumberKey),
        application: query.application,
        by: query.actor,
        action: query.action,
        target: query.target,
        since: time(query.since),
        until: time(query.until),
      });
      return pageOf(events, limit, (e) => e.id, toAuditJson);
    },
  );
};
