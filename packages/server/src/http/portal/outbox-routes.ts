import { Type } from 'typebox';
import { DEFAULT_LIMIT, MailStatusJson, OutboxMessageJson as OutboxItem, Page, PageQuery } from '@latchkey/contract';
import type { OutboxMail } from '../../domain/mail/outbox.js';
import { actorOf, requireRole } from './authentication.js';
import { decodeCursor, pageOf } from './pagination.js';
import type { PortalRoutes } from './portal-routes.js';
import { problems } from './problem.js';

const isoOrNull = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function toOutboxItem(mail: OutboxMail): OutboxItem {
  return {
    id: mail.id,
    kind: mail.kind,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    status: mail.status,
    attempts: mail.attempts,
    last_error: mail.lastError,
    next_attempt_at: mail.status === 'queued' ? isoOrNull(mail.nextAttemptAt) : null,
    created_at: new Date(mail.createdAt).toISOString(),
    sent_at: isoOrNull(mail.sentAt),
  };
}

const isOutboxKey = (value: unknown): value is [number, string] =>
  Array.isArray(value) && value.length === 2 && Number.isSafeInteger(value[0]) && typeof value[1] === 'string';

/** GET /api/v1/outbox: every message the server sent or queued, newest first (administrators). */
export const registerOutboxRoutes: PortalRoutes = (app, deps) => {
  app.get(
    '/outbox',
    {
      onRequest: requireRole('admin'),
      schema: {
        operationId: 'listOutboxMessages',
        tags: ['mail'],
        summary: 'Mail the server has sent or queued, newest first, with delivery status',
        querystring: Type.Object({ ...PageQuery.properties, status: Type.Optional(MailStatusJson) }),
        response: { 200: Page(OutboxItem), ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? DEFAULT_LIMIT;
      const after = decodeCursor(request.query.cursor, isOutboxKey);
      const rows = await deps.useCases.listOutbox({
        actor: actorOf(request),
        limit,
        ...(after ? { after: { createdAt: after[0], id: after[1] } } : {}),
        ...(request.query.status ? { status: request.query.status } : {}),
      });
      return pageOf(rows, limit, (m) => [m.createdAt, m.id], toOutboxItem);
    },
  );
};
