import type { ApplicationStore } from './applications/application.js';
import type { AuditLog } from './audit/audit-event.js';
import type { ServiceStore } from './catalog/service.js';
import type { ChangeStore } from './changes/change-feed.js';
import type { ClientStore } from './clients/client.js';
import type { OutboxStore } from './mail/outbox.js';
import type { SigningKeyStore } from './keys/signing-key.js';
import type { RevocationStore } from './tokens/denylist.js';
import type { UserStore } from './users/user.js';
import type { LockoutStore } from './users/lockout.js';
import type { WatermarkStore } from './tokens/watermark.js';
import type { MemberStore } from './members/member.js';
import type { InvitationStore } from './invitations/invitation.js';
import type { RegistrationStore } from './environments/environment-registration.js';
import type { PersonalTokenStore } from './personal-tokens/personal-token.js';
import type { SessionStore } from './sessions/session.js';
import type { CounterStore } from './users/counter-store.js';
import type { RevocationStateStore } from './oauth/revocation-state.js';

/**
 * Everything the domain needs from a database, one port per aggregate. The SQLite and PostgreSQL
 * adapters implement it identically and pass one contract suite (storage/storage-contract.test.ts).
 * Every mutating method records its change in the change log within the same transaction (except the
 * counters', which no cache follows).
 */
export interface Storage {
  readonly services: ServiceStore;
  readonly applications: ApplicationStore;
  readonly clients: ClientStore;
  readonly users: UserStore;
  readonly keys: SigningKeyStore;
  readonly revocations: RevocationStore;
  readonly changes: ChangeStore;
  readonly audit: AuditLog;
  readonly outbox: OutboxStore;
  readonly lockouts: LockoutStore;
  readonly watermarks: WatermarkStore;
  readonly members: MemberStore;
  readonly invitations: InvitationStore;
  readonly registrations: RegistrationStore;
  readonly personalTokens: PersonalTokenStore;
  readonly sessions: SessionStore;
  /** Failure counters and attempt windows shared by every process on this database (when there is no Redis). */
  readonly counters: CounterStore;
  /** The revocation feed's snapshot reads (read only). */
  readonly revocationState: RevocationStateStore;
  /** Runs `work` in one transaction: all of it commits, or none. Nested calls join the outer one. */
  transaction<T>(work: (tx: Storage) => Promise<T>): Promise<T>;
  /** Inside a transaction: take the store-wide write lock now, so concurrent callers run one at a time. */
  lockExclusive(): Promise<void>;
  /** Resolves when the database answers. */
  ping(): Promise<void>;
}
