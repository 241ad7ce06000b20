import { DomainError } from '../errors.js';
import type { Random } from '../random.js';
import type { Storage } from '../storage.js';
import type { MailMessage, OutboxMail } from './outbox.js';

// One address, no display name, no list: what features pass is a user's or invitee's stored email.
/** When a message is queued, and the randomness that names it. */
export interface MailStamp {
  readonly now: number;
  readonly random: Random;
}

const ADDRESS = /^[^\s@<>,;:"()[\]\\]+@[^\s@<>,;:"()[\]\\]+$/;

/**
 * Puts a message in the outbox, inside the caller's transaction (pass the `tx` of the state change the mail
 * reports, so a rolled-back change sends nothing and a committed one is never without its mail). Delivery
 * happens later, in the background (runtime's mail loop), never on the request's path.
 *
 * @example
 * await storage.transaction(async (tx) => {
 *   await tx.applications.create(application);
 *   const body = renderMail({ greeting: 'Hello,', paragraphs: ['Your request arrived.'] });
 *   await enqueueMail(tx, { to: user.email, subject: 'Request received', ...body, kind: 'application.requested' }, { now: clock.now(), random });
 * });
 */
export async function enqueueMail(tx: Pick<Storage, 'outbox'>, message: MailMessage, stamp: MailStamp): Promise<OutboxMail> {
  const { now } = stamp;
  const to = message.to.trim();
  if (!ADDRESS.test(to) || to.length > 320) {
    throw new DomainError('bad_request', `cannot send mail to "${message.to}": expected one email address such as ada@example.com`, {
      fields: [{ field: 'to', message: 'expected one email address' }],
    });
  }
  const mail: OutboxMail = {
    id: stamp.random.uuid(),
    kind: message.kind ?? 'notice',
    to,
    // A header must stay on one line (header injection); the subject is often built from user input.
    subject: message.subject.replace(/[\r\n]+/g, ' ').trim().slice(0, 250),
    text: message.text,
    html: message.html,
    status: 'queued',
    attempts: 0,
    nextAttemptAt: now,
    lastError: null,
    createdAt: now,
    sentAt: null,
  };
  await tx.outbox.add(mail);
  return mail;
}
