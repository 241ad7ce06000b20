import type { Command } from 'commander';
import { CLI_ACTOR } from '../domain/actor.js';
import { DomainError } from '../domain/errors.js';
import { listOutbox } from '../domain/mail/list-outbox.js';
import { MAIL_STATUSES, type MailStatus, type OutboxMail } from '../domain/mail/outbox.js';
import { queueTestMail } from '../domain/mail/send-test-mail.js';
import { action } from './command-action.js';
import { isoOrNull, table } from './output.js';

const toJson = (m: OutboxMail) => ({
  id: m.id,
  kind: m.kind,
  to: m.to,
  subject: m.subject,
  status: m.status,
  attempts: m.attempts,
  last_error: m.lastError,
  created_at: isoOrNull(m.createdAt),
  sent_at: isoOrNull(m.sentAt),
});

function status(value: string | undefined): MailStatus | undefined {
  if (value === undefined || (MAIL_STATUSES as readonly string[]).includes(value)) return value as MailStatus | undefined;
  throw new DomainError('bad_request', `--status ${value}: expected one of ${MAIL_STATUSES.join(', ')}`);
}

export function registerMailCommands(program: Command): void {
  const mail = program.command('mail').description('the outbox: mail the server sent or will send (docs/mail.md)');
  mail
    .command('list')
    .description('the newest messages with their delivery status')
    .option('--status <status>', `only ${MAIL_STATUSES.join(', ')}`)
    .option('--limit <n>', 'how many (at most 200)', '20')
    .action(
      action(program, async (rt, out, opts: { status?: string; limit: string }) => {
        const limit = Math.min(200, Math.max(1, Number.parseInt(opts.limit, 10) || 20));
        const filter = status(opts.status);
        const items = (await listOutbox(rt, { actor: CLI_ACTOR, limit, ...(filter ? { status: filter } : {}) })).slice(0, limit).map(toJson);
        out.result(
          { items },
          items.length === 0
            ? 'the outbox is empty'
            : table([['CREATED', 'STATUS', 'TRIES', 'TO', 'SUBJECT', 'LAST ERROR'], ...items.map((m) => [m.created_at ?? '', m.status, String(m.attempts), m.to, m.subject, m.last_error ?? ''])]),
        );
      }),
    );
  mail
    .command('test')
    .description('send a test message now with the current LATCHKEY_SMTP_URL (delivers whatever else is due too) and show the outcome')
    .requiredOption('--to <email>', 'who gets it')
    .action(
      action(program, async (rt, out, opts: { to: string }) => {
        const queued = await queueTestMail({ storage: rt.storage, clock: rt.clock, random: rt.random, issuer: rt.config.issuer }, { to: opts.to });
        await rt.deliverMail();
        const result = toJson((await rt.storage.outbox.get(queued.id)) ?? queued);
        const human =
          result.status === 'sent'
            ? `sent to ${result.to}`
            : result.status === 'logged'
              ? 'LATCHKEY_SMTP_URL is not set: the message was only logged (status logged)'
              : `not sent (${result.status}): ${result.last_error ?? 'unknown error'}`;
        out.result(result, human);
        if (result.status !== 'sent' && result.status !== 'logged') process.exitCode = 1;
      }),
    );
}
