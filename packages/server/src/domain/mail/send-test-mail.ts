import type { Clock } from '../clock.js';
import type { Random } from '../random.js';
import type { Storage } from '../storage.js';
import { enqueueMail } from './enqueue-mail.js';
import type { OutboxMail } from './outbox.js';
import { renderMail } from './render-mail.js';

/** Queues a short message that says nothing but "mail works", for an operator checking the SMTP settings. */
export async function queueTestMail(
  deps: { readonly storage: Pick<Storage, 'transaction'>; readonly clock: Clock; readonly random: Random; readonly issuer: string },
  input: { readonly to: string },
): Promise<OutboxMail> {
  const body = renderMail({
    greeting: 'Hello,',
    paragraphs: ['This is a test message from Latchkey. If you can read it, outgoing mail works.'],
    link: { label: 'Open Latchkey', url: deps.issuer },
    footer: 'An operator sent it with `latchkey mail test`; there is nothing to do.',
  });
  return deps.storage.transaction((tx) => enqueueMail(tx, { to: input.to, subject: 'Latchkey test message', ...body, kind: 'test' }, { now: deps.clock.now(), random: deps.random }));
}
