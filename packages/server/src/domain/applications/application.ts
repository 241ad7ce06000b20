export type ApplicationStatus = 'pending' | 'approved' | 'rejected';
export const APPLICATION_STATUSES: readonly ApplicationStatus[] = ['pending', 'approved', 'rejected'];

/** A team's application, known by its acronym (unique regardless of case, kept upper-case). */
export interface Application {
  readonly id: string;
  readonly acronym: string;
  readonly name: string;
  readonly description: string;
  readonly status: ApplicationStatus;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** The user who requested it; null when an operator created it at the command line. */
  readonly requestedBy: string | null;
  /** When it was last asked for: its creation, or a request made again after a rejection. */
  readonly requestedAt: number;
  /** Why an administrator approved or rejected it (empty when no reason was given). */
  readonly decisionReason: string | null;
  readonly decidedBy: string | null;
  readonly decidedAt: number | null;
}

export interface ApplicationDecision {
  readonly status: 'approved' | 'rejected';
  readonly reason: string | null;
  readonly by: string;
  readonly at: number;
}

export interface ApplicationPageQuery {
  readonly limit: number;
  /** Continue after this acronym (exclusive); the list is ordered by acronym. */
  readonly after?: string;
  readonly status?: ApplicationStatus;
  /** Only the applications this user is a member of. */
  readonly memberId?: string;
}

export interface ApplicationStore {
  /** Inserts; the acronym is taken already: DomainError `conflict`. */
  create(application: Application): Promise<void>;
  get(id: string): Promise<Application | null>;
  getByAcronym(acronym: string): Promise<Application | null>;
  list(): Promise<Application[]>;
  /** Ordered by acronym, at most `limit`, filtered as asked. */
  page(query: ApplicationPageQuery): Promise<Application[]>;
  /** The user's most recent request, whatever became of it (to pre-fill the next one); null if none. */
  lastRequestedBy(userId: string): Promise<Application | null>;
  /**
   * Moves a `pending` application to the decision's status and returns it; null when it does not exist or
   * is no longer pending. Of concurrent callers for one application, exactly one gets the application.
   */
  decide(applicationId: string, decision: ApplicationDecision): Promise<Application | null>;
  /**
   * A `rejected` application requested again: back to `pending` with the new requester, name,
   * description and request time (`at`), the old decision cleared. Null when it is not rejected (exactly one concurrent caller wins).
   */
  reopen(applicationId: string, request: { readonly name: string; readonly description: string; readonly requestedBy: string; readonly at: number }): Promise<Application | null>;
}

export const ACRONYM = /^[A-Za-z0-9]{2,16}$/;

export function normaliseAcronym(acronym: string): string {
  return acronym.trim().toUpperCase();
}
