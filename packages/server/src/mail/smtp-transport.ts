import { createTransport } from 'nodemailer';
import { MailDeliveryError, type MailTransport } from '../domain/mail/deliver-mail.js';

/**
 * Delivers over SMTP with nodemailer, to LATCHKEY_SMTP_URL (`smtp://user:pass@host:port`, STARTTLS when
 * the server offers it; `smtps://` for implicit TLS). Timeouts are far below the outbox lease, so a claim
 * never expires while its delivery is still under way.
 */
export function createSmtpTransport(smtpUrl: string, from: string): MailTransport {
  const transporter = createTransport({
    url: smtpUrl,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
    dnsTimeout: 15_000,
  });
  return {
    async deliver(mail) {
      try {
        await transporter.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
        return 'sent';
      } catch (error) {
        // RFC 5321 §4.2.1: 5yz replies are permanent (no such mailbox, rejected); 4yz and network failures are not.
        const code = (error as { responseCode?: unknown }).responseCode;
        const permanent = typeof code === 'number' && code >= 500 && code < 600 && !isAuthFailure(error);
        throw new MailDeliveryError(error instanceof Error ? error.message : String(error), { permanent, cause: error });
      }
    },
    close() {
      transporter.close();
    },
  };
}

// A 535 (bad credentials) is the operator's to fix, not the recipient's: keep retrying until they do.
function isAuthFailure(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'EAUTH';
}
