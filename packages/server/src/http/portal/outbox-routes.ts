import { Type } from 'typebox';
import { listOutbox } from '../../domain/mail/list-outbox.js';
import type { OutboxMail } from '../../domain/mail/outbox.js';
import { actorOf, requireRole } from './authentication.js';
import { decodeCursor, DEFAULT_LIMIT, Page, pageOf, PageQuery } from './pagination.js';
import type { PortalRoutes } from './portal-routes.js';
import { problems } from './problem.js';

const MailStatusJson = Type.Union([Type.Literal('queued'), Type.Literal('sent'), Type.Literal('logged'), Type.Literal('failed')], {
  description: 'queued: waiting or retrying; sent: accepted by the SMTP server; logged: no SMTP server configured, written to the log; failed: gave up',
});

const isoOrNull = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

const OutboxItem = Type.Object({
  id: Type.String(),
  kind: Type.String({ description: 'what the message is about, such as invitation or application.approved' }),
  to: Type.String(),
  subject: Type.String(),
  text: Type.String({ description: 'the plain-text body' }),
  status: MailStatusJson,
  attempts: Type.Integer(),
  last_error: Type.Union([Type.String(), Type.Null()], { description: 'why the last attempt failed' }),
  next_attempt_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'while queued: when it is tried next' }),
  created_at: Type.String({ format: 'date-time' }),
  sent_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
}, { title: 'OutboxMessage' });

function toOutboxItem(mail: OutboxMail) {
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
      const rows = await listOutbox(deps, {
        actor: actorOf(request),
        limit,
        ...(after ? { after: { createdAt: after[0], id: after[1] } } : {}),
        ...(request.query.status ? { status: request.query.status } : {}),
      });
      return pageOf(rows, limit, (m) => [m.createdAt, m.id], toOutboxItem);
    },
  );
};
