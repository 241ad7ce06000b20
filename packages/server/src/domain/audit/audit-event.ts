/** Who acts: a user (by id), or an operator at the command line; and from where. */
export interface Actor {
  readonly actor: string;
  readonly address: string | null;
}

export const CLI_ACTOR: Actor = { actor: 'cli', address: null };

/** One append-only audit record: who did what, to what, from where, when. */
export interface AuditEvent extends Actor {
  readonly at: number;
  readonly action: string;
  readonly target: string;
  readonly details: Readonly<Record<string, unknown>>;
}

export interface StoredAuditEvent extends AuditEvent {
  readonly id: number;
}

export interface AuditLog {
  append(event: AuditEvent): Promise<void>;
  /**
   * Newest first; `before` is the id to continue below (exclusive); `actionPrefixes` keeps only events
   * whose action starts with one of them (`personal_token.`).
   */
  list(options: { limit: number; before?: number; actionPrefixes?: readonly string[] }): Promise<StoredAuditEvent[]>;
}
