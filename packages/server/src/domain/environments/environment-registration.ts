/** A service and, optionally, the subset of its scopes a registration asks for. */
export interface ServiceRequest {
  readonly key: string;
  readonly scopes?: readonly string[];
}

export type RegistrationStatus = 'pending' | 'approved' | 'rejected';

/**
 * An application's registration of one environment. Approved: its client exists (`clientId`). Pending: it
 * waits for an administrator (environments listed in LATCHKEY_APPROVAL_ENVIRONMENTS). Rejected: it may be
 * requested again.
 */
export interface EnvironmentRegistration {
  readonly id: string;
  readonly applicationId: string;
  readonly env: string;
  readonly status: RegistrationStatus;
  readonly name: string;
  readonly description: string;
  readonly services: readonly ServiceRequest[];
  readonly requestedBy: string | null;
  readonly requestedAt: number;
  readonly decidedBy: string | null;
  readonly decidedAt: number | null;
  readonly reason: string | null;
  readonly clientId: string | null;
}

export interface RegistrationDecision {
  readonly status: 'approved' | 'rejected';
  readonly by: string;
  readonly at: number;
  readonly reason: string | null;
  readonly clientId: string | null;
}

export interface RegistrationStore {
  /**
   * Records a registration, replacing a rejected one for the same application and environment. One that
   * is pending or approved exists: DomainError `conflict`. Of concurrent callers for one application and
   * environment, exactly one succeeds.
   */
  open(registration: EnvironmentRegistration): Promise<void>;
  get(applicationId: string, env: string): Promise<EnvironmentRegistration | null>;
  list(applicationId: string): Promise<EnvironmentRegistration[]>;
  /**
   * Decides a `pending` registration and returns it; null when there is none pending. Of concurrent
   * callers, exactly one gets the registration.
   */
  decide(applicationId: string, env: string, decision: RegistrationDecision): Promise<EnvironmentRegistration | null>;
}

/** Environments are configured lower-case; `DEV` in a path means `dev`. */
export function normaliseEnv(env: string): string {
  return env.trim().toLowerCase();
}
