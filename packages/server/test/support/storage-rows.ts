import type { Storage } from '../../src/domain/storage.js';
import type { Application } from '../../src/domain/applications/application.js';
import type { Client, ClientSecretRecord } from '../../src/domain/clients/client.js';
import type { User } from '../../src/domain/users/user.js';

// Rows for the storage contract suites: each builder gives a valid record with unique ids, and callers
// override only what a test is about.

/** Epoch milliseconds beyond 2^32, so a bigint that came back as a string, or was truncated, shows. */
export const T = 1_750_000_000_123;
export const FAR = 4_102_444_800_000; // 2100-01-01

let n = 0;
/** A unique id; the counter is padded so ids made later sort after earlier ones. */
export const uid = (prefix: string): string => `${prefix}${(++n).toString(36).padStart(4, '0')}${Math.random().toString(36).slice(2, 7)}`;

export const user = (over: Partial<User> = {}): User => ({
  id: uid('usr_'),
  email: `${uid('u')}@example.com`,
  name: 'Ada',
  passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
  roles: [],
  createdAt: T,
  disabledAt: null,
  ...over,
});

/** Pending by default, as a new request is. */
export const application = (over: Partial<Application> = {}): Application => ({
  id: uid('app_'),
  acronym: uid('A').slice(0, 12).toUpperCase(),
  name: 'Billing',
  description: '',
  status: 'pending',
  createdAt: T,
  updatedAt: T,
  requestedBy: null,
  requestedAt: T,
  decisionReason: null,
  decidedBy: null,
  decidedAt: null,
  ...over,
});

export const secret = (over: Partial<ClientSecretRecord> = {}): ClientSecretRecord => ({
  id: uid('sec_'),
  hash: `hmac-${uid('')}`,
  createdAt: T,
  expiresAt: null,
  lastUsedAt: null,
  ...over,
});

export const client = (app: Application, over: Partial<Client> = {}): Client => ({
  clientId: uid('cli-'),
  applicationId: app.id,
  acronym: app.acronym,
  env: 'dev',
  enabled: true,
  tokenTtl: 600,
  grants: [{ service: 'email', scopes: ['email:send'] }, { service: 'sms', scopes: [] }],
  secrets: [secret()],
  createdAt: T,
  updatedAt: T,
  rotatedAt: null,
  lastUsedAt: null,
  ...over,
});

/** The builders above, stored: each returns what it created. */
export interface Seeds {
  user(over?: Partial<User>): Promise<User>;
  application(over?: Partial<Application>): Promise<Application>;
  /** A client of an application of its own, created with it. */
  client(over?: Partial<Client>): Promise<Client>;
}

export function seedsFor(storage: Storage): Seeds {
  return {
    async user(over) {
      const u = user(over);
      await storage.users.create(u);
      return u;
    },
    async application(over) {
      const app = application(over);
      await storage.applications.create(app);
      return app;
    },
    async client(over) {
      const app = application();
      await storage.applications.create(app);
      const c = client(app, over);
      await storage.clients.create(c);
      return c;
    },
  };
}
