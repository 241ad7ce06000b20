import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.js';
import type { Storage } from '../domain/storage.js';
import { deliverDueMail, type DeliveryPolicy, type DeliveryReport, type MailTransport } from '../domain/mail/deliver-mail.js';
import { createLogTransport } from './log-transport.js';
import { createSmtpTransport } from './smtp-transport.js';

export interface MailDelivery {
  /** Delivers what is due now; a call while a round is running joins that round (rounds never overlap). */
  run(): Promise<DeliveryReport>;
  /** Waits for the round in flight, then closes the transport. */
  close(): Promise<void>;
}

export interface MailDeliveryOptions {
  readonly storage: Storage;
  readonly clock: Clock;
  readonly log: Logger;
  readonly smtpUrl: string | null;
  readonly mailFrom: string;
  readonly policy?: DeliveryPolicy;
  /** Told the outcome of every round (metrics). */
  readonly onReport?: (report: DeliveryReport) => void;
}

/** The serving process's mail loop body: SMTP when configured, else the log. */
export function createMailDelivery(options: MailDeliveryOptions): MailDelivery {
  const { log } = options;
  const transport: MailTransport = options.smtpUrl ? createSmtpTransport(options.smtpUrl, options.mailFrom) : createLogTransport(log);
  let round: Promise<DeliveryReport> | null = null;
  let closing = false;
  const run = (): Promise<DeliveryReport> => {
    round ??= deliverDueMail({ storage: options.storage, clock: options.clock, transport, stopping: () => closing, ...(options.policy ? { policy: options.policy } : {}) })
      .then((report) => {
        options.onReport?.(report);
        if (report.retrying > 0 || report.failed > 0) log.warn({ mail: report }, 'some mail could not be delivered; see GET /api/v1/outbox');
        return report;
      })
      .finally(() => (round = null));
    return round;
  };
  return {
    run,
    async close() {
      // Finish the batch in hand (its messages are claimed), claim no more: shutdown stays quick.
      closing = true;
      await round?.catch(() => undefined);
      transport.close();
    },
  };
}
