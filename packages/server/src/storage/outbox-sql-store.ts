import type { MailStatus, OutboxMail, OutboxStore } from '../domain/mail/outbox.js';
import type { Database } from './schema.js';
import { storable, translated, type SqlContext } from './sql-context.js';

function toMail(row: Database['mail_outbox']): OutboxMail {
  return {
    id: row.id,
    kind: row.kind,
    to: row.recipient,
    subject: row.subject,
    text: row.text,
    html: row.html,
    status: row.status as MailStatus,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}

/**
 * The outbox. It records no change-log entries: no cache depends on it, and the mail loop polls it.
 * Claims are compare-and-set on `attempts`: on PostgreSQL a second UPDATE of the same row waits for the
 * first to commit and then re-checks its WHERE clause (READ COMMITTED), on SQLite writes are serialised;
 * either way exactly one claimant sees the old `attempts` and wins.
 */
export function createOutboxSqlStore(ctx: SqlContext): OutboxStore {
  const { db } = ctx;
  return {
    async add(mail) {
      await translated(() =>
        db
          .insertInto('mail_outbox')
          .values({
            id: mail.id,
            kind: mail.kind,
            recipient: mail.to,
            subject: mail.subject,
            text: mail.text,
            html: mail.html,
            status: mail.status,
            attempts: mail.attempts,
            next_attempt_at: mail.nextAttemptAt,
            last_error: mail.lastError,
            created_at: mail.createdAt,
            sent_at: mail.sentAt,
          })
          .execute(),
      );
    },
    async get(id) {
      if (!storable(id)) return null;
      const row = await db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toMail(row) : null;
    },
    async list({ limit, after, status }) {
      let query = db.selectFrom('mail_outbox').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit);
      if (status !== undefined) query = query.where('status', '=', status);
      if (after !== undefined) {
        query = query.where((eb) =>
          eb.or([eb('created_at', '<', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)])]),
        );
      }
      return (await query.execute()).map(toMail);
    },
    async claimDue(now, leaseUntil, limit) {
      const due = await db
        .selectFrom('mail_outbox')
        .select(['id', 'attempts'])
        .where('status', '=', 'queued')
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .orderBy('created_at')
        .limit(limit)
        .execute();
      const claimed: OutboxMail[] = [];
      for (const candidate of due) {
        const row = await translated(() =>
          db
            .updateTable('mail_outbox')
            .set({ attempts: candidate.attempts + 1, next_attempt_at: leaseUntil })
            .where('id', '=', candidate.id)
            .where('status', '=', 'queued')
            .where('attempts', '=', candidate.attempts)
            .where('next_attempt_at', '<=', now)
            .returningAll()
            .executeTakeFirst(),
        );
        if (row) claimed.push(toMail(row));
      }
      return claimed;
    },
    async settle(id, attempt, outcome) {
      const values =
        outcome.status === 'queued'
          ? { last_error: outcome.error, next_attempt_at: outcome.retryAt }
          : outcome.status === 'failed'
            ? { status: 'failed', last_error: outcome.error }
            : { status: outcome.status, sent_at: outcome.at };
      const result = await translated(() =>
        db.updateTable('mail_outbox').set(values).where('id', '=', id).where('attempts', '=', attempt).where('status', '=', 'queued').executeTakeFirst(),
      );
      return Number(result.numUpdatedRows) > 0;
    },
    async countByStatus() {
      const rows = await translated(() => db.selectFrom('mail_outbox').select(['status', (eb) => eb.fn.countAll<number | string>().as('n')]).groupBy('status').execute());
      const counts: Record<MailStatus, number> = { queued: 0, sent: 0, logged: 0, failed: 0 };
      // PostgreSQL's count() is a bigint, which the driver hands over as a string.
      for (const row of rows) if (row.status in counts) counts[row.status as MailStatus] = Number(row.n);
      return counts;
    },
    async prune(before) {
      const result = await translated(() =>
        db.deleteFrom('mail_outbox').where('status', 'in', ['sent', 'logged', 'failed']).where('created_at', '<', before).executeTakeFirst(),
      );
      return Number(result.numDeletedRows);
    },
  };
}
