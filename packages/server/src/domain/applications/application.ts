export type ApplicationStatus = 'pending' | 'approved' | 'rejected';

/** A team's application, known by its acronym (unique regardless of case, kept upper-case). */
export interface Application {
  readonly id: string;
  readonly acronym: string;
  readonly name: string;
  readonly description: string;
  readonly status: ApplicationStatus;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface ApplicationStore {
  /** Inserts; the acronym is taken already: DomainError `conflict`. */
  create(application: Application): Promise<void>;
  getByAcronym(acronym: string): Promise<Application | null>;
  list(): Promise<Application[]>;
}

export const ACRONYM = /^[A-Za-z0-9]{2,16}$/;

export function normaliseAcronym(acronym: string): string {
  return acronym.trim().toUpperCase();
}
