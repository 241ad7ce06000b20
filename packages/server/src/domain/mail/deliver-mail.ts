import type { Clock } from '../clock.js';
import type { Storage } from '../storage.js';
import type { OutboxMail } from './outbox.js';

/**
 * Where mail goes: an SMTP server (`sent`), or, with none configured, the server log (`logged`). Rejects
 * with why not; a `MailDeliveryError` marked permanent (the server refused the recipient for good) is not
 * retried.
 */
export interface MailTransport {
  deliver(mail: OutboxMail): Promise<'sent' | 'logged'>;
  /** Releases connections. */
  close(): void;
}

export class MailDeliveryError extends Error {
  override readonly name = 'MailDeliveryError';
  readonly permanent: boolean;
  constructor(message: string, options: { permanent: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.permanent = options.permanent;
  }
}

export interface DeliveryPolicy {
  /** Attempts before a message is marked `failed`. */
  readonly maxAttempts: number;
  /** First retry after this long, doubling each time up to `retryMaxMs`. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** How long a claim holds: longer than one delivery can take (the transport's own timeouts). */
  readonly leaseMs: number;
  /** Messages claimed per round. */
  readonly batch: number;
}

// 8 attempts over about an hour and a half: 30 s, 1, 2, 4, 8, 16, 32 min. A mail server that is down for
// longer than that needs an operator, who sees `failed` with the last error in the outbox.
export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = { maxAttempts: 8, retryBaseMs: 30_000, retryMaxMs: 60 * 60_000, leaseMs: 2 * 60_000, batch: 20 };

export interface DeliveryReport {
  readonly delivered: number;
  readonly retrying: number;
  readonly failed: number;
}

export interface DeliverMailDeps {
  readonly storage: Storage;
  readonly clock: Clock;
  readonly transport: MailTransport;
  readonly policy?: DeliveryPolicy;
  /** Checked between batches: true stops claiming more (the process is shutting down). */
  readonly stopping?: () => boolean;
}

/** When attempt number `attempt` (1-based) failed, the next one is due this long later. */
export function retryDelay(policy: DeliveryPolicy, attempt: number): number {
  return Math.min(policy.retryMaxMs, policy.retryBaseMs * 2 ** Math.max(0, attempt - 1));
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message || 'delivery failed without a reason').slice(0, 500);
}

/**
 * One round of delivery: claims the messages that are due (a message is claimed by one process only, see
 * OutboxStore.claimDue), hands each to the transport, and records the outcome: delivered, another attempt
 * later (exponential backoff, `last_error` visible meanwhile), or `failed` after the last attempt or a
 * permanent refusal. Runs until nothing is due, so a backlog drains in one call.
 */
export async function deliverDueMail(deps: DeliverMailDeps): Promise<DeliveryReport> {
  const policy = deps.policy ?? DEFAULT_DELIVERY_POLICY;
  let delivered = 0;
  let retrying = 0;
  let failed = 0;
  for (;;) {
    const now = deps.clock.now();
    const claimed = await deps.storage.outbox.claimDue(now, now + policy.leaseMs, policy.batch);
    for (const mail of claimed) {
      try {
        const status = await deps.transport.deliver(mail);
        await deps.storage.outbox.settle(mail.id, mail.attempts, { status, at: deps.clock.now() });
        delivered++;
      } catch (error) {
        const permanent = error instanceof MailDeliveryError && error.permanent;
        if (permanent || mail.attempts >= policy.maxAttempts) {
          await deps.storage.outbox.settle(mail.id, mail.attempts, { status: 'failed', error: describe(error) });
          failed++;
        } else {
          const retryAt = deps.clock.now() + retryDelay(policy, mail.attempts);
          await deps.storage.outbox.settle(mail.id, mail.attempts, { status: 'queued', error: describe(error), retryAt });
          retrying++;
        }
      }
    }
    // Not `< batch`: with other processes claiming too, a short batch does not mean nothing is left.
    if (claimed.length === 0 || deps.stopping?.()) return { delivered, retrying, failed };
  }
}
