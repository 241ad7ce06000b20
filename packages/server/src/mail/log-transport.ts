import type { Logger } from 'pino';
import type { MailTransport } from '../domain/mail/deliver-mail.js';

/**
 * With no LATCHKEY_SMTP_URL, "delivery" writes the message to the server log (status `logged`), so an
 * operator of a fresh install can still read invitation and approval links; the outbox keeps it too.
 * The HTML part is left out (the text part says the same); the SMTP URL, the only secret here, is unset.
 */
export function createLogTransport(log: Logger): MailTransport {
  return {
    deliver(mail) {
      log.info({ mail: { id: mail.id, kind: mail.kind, to: mail.to, subject: mail.subject, text: mail.text } }, `mail to ${mail.to} logged (no LATCHKEY_SMTP_URL): ${mail.subject}`);
      return Promise.resolve('logged');
    },
    close() {},
  };
}
