/** A message as a feature composes it (see render-mail.ts for the bodies). */
export interface MailMessage {
  /** One recipient address. */
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** What the message is about (`invitation`, `application.approved`, …), for the outbox and the log. */
  readonly kind?: string;
}

/**
 * `queued`: waiting to be delivered (or being delivered, or waiting for its next attempt);
 * `sent`: accepted by the SMTP server; `logged`: no SMTP server is configured, so it was written to the
 * server log instead (and stays readable in the outbox); `failed`: gave up after the last attempt.
 */
export type MailStatus = 'queued' | 'sent' | 'logged' | 'failed';
export const MAIL_STATUSES: readonly MailStatus[] = ['queued', 'sent', 'logged', 'failed'];

/** One row of the outbox: every message the server has sent or will send. */
export interface OutboxMail {
  readonly id: string;
  readonly kind: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly status: MailStatus;
  /** Delivery attempts started so far (a claim counts as one). */
  readonly attempts: number;
  /** While `queued`: not before this time (epoch ms). A claimed message is pushed forward by its lease. */
  readonly nextAttemptAt: number;
  /** Why the last attempt failed, if it did. */
  readonly lastError: string | null;
  readonly createdAt: number;
  /** When it was sent or logged. */
  readonly sentAt: number | null;
}

/** Where to continue a newest-first listing: below this message. */
export interface OutboxCursor {
  readonly createdAt: number;
  readonly id: string;
}

export interface OutboxStore {
  /** Inserts a new `queued` message (in the caller's transaction, if any). */
  add(mail: OutboxMail): Promise<void>;
  get(id: string): Promise<OutboxMail | null>;
  /** Newest first (by creation time, then id); `status` filters. */
  list(options: { limit: number; after?: OutboxCursor; status?: MailStatus }): Promise<OutboxMail[]>;
  /**
   * Claims up to `limit` `queued` messages due at `now` (oldest first): each one's `attempts` goes up by one
   * and its `nextAttemptAt` moves to `leaseUntil`, so nobody else claims it meanwhile.
   * Concurrency: a message is returned to exactly one of any number of concurrent callers (other
   * connections, processes, instances); if its claimant dies, it is due again once the lease runs out.
   */
  claimDue(now: number, leaseUntil: number, limit: number): Promise<OutboxMail[]>;
  /**
   * Records the outcome of the attempt numbered `attempt` (the message's `attempts` after the claim):
   * `sent`/`logged` stamps `sentAt = at`; `queued` schedules another attempt at `retryAt` with `error`;
   * `failed` gives up with `error`. Returns false, changing nothing, when the message is no longer at that
   * attempt (its lease ran out and another claimant took it over) or no longer queued.
   */
  settle(
    id: string,
    attempt: number,
    outcome:
      | { readonly status: 'sent' | 'logged'; readonly at: number }
      | { readonly status: 'queued'; readonly error: string; readonly retryAt: number }
      | { readonly status: 'failed'; readonly error: string },
  ): Promise<boolean>;
  /** How many messages the outbox holds in each status (every status present, 0 when none). */
  countByStatus(): Promise<Record<MailStatus, number>>;
  /** Deletes settled (`sent`, `logged`, `failed`) messages created before `before`; returns how many. */
  prune(before: number): Promise<number>;
}
