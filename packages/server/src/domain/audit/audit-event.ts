/** One append-only audit record: who did what (`user:<id>`, `cli`, `anonymous`, `system`…), to what, from where, when. */
export interface AuditEvent {
  readonly actor: string;
  readonly address: string | null;
  readonly at: number;
  readonly action: string;
  readonly target: string;
  readonly details: Readonly<Record<string, unknown>>;
}

export interface StoredAuditEvent extends AuditEvent {
  readonly id: number;
}

/** The filters of an audit listing; they combine (and). */
export interface AuditQuery {
  readonly limit: number;
  /** The id to continue below (exclusive). */
  readonly before?: number | undefined;
  /** Only events whose action starts with one of these (`personal_token.`). */
  readonly actionPrefixes?: readonly string[] | undefined;
  readonly actor?: string | undefined;
  readonly action?: string | undefined;
  /** Only events on one of these targets. */
  readonly targets?: readonly string[] | undefined;
  /** From this time (inclusive) until this time (exclusive), epoch ms. */
  readonly since?: number | undefined;
  readonly until?: number | undefined;
}

export interface AuditLog {
  append(event: AuditEvent): Promise<void>;
  /** Newest first (by id), filtered by `options`. */
  list(options: AuditQuery): Promise<StoredAuditEvent[]>;
}
