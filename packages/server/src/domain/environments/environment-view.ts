import type { Client } from '../clients/client.js';
import type { EnvironmentRegistration, RegistrationStatus } from './environment-registration.js';

/** One environment of an application as its page shows it: where it stands, and its credential if any. */
export interface EnvironmentView {
  readonly env: string;
  /** `unregistered`: nothing asked yet; otherwise the registration's status (`approved`: the client exists). */
  readonly status: RegistrationStatus | 'unregistered';
  readonly needsApproval: boolean;
  readonly registration: EnvironmentRegistration | null;
  readonly client: Client | null;
}

/** Every configured environment, in order, with its registration and client. */
export function environmentViews(
  environments: readonly string[],
  approvalEnvironments: readonly string[],
  registrations: readonly EnvironmentRegistration[],
  clients: readonly Client[],
): EnvironmentView[] {
  return environments.map((env) => {
    const registration = registrations.find((r) => r.env === env) ?? null;
    const client = clients.find((c) => c.env === env) ?? null;
    // A client made at the command line has no registration: it is registered all the same.
    const status = client ? 'approved' : (registration?.status ?? 'unregistered');
    return { env, status, needsApproval: approvalEnvironments.includes(env), registration, client };
  });
}
