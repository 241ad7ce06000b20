import type { Clock } from '../domain/clock.js';
import type { Storage } from '../domain/storage.js';
import type { ServerKeyring } from '../domain/secrets/server-key.js';
import type { ClientDirectory } from '../domain/clients/client-directory.js';
import type { ClientUsage } from '../domain/clients/client-usage.js';
import type { KeyManager } from '../domain/keys/key-manager.js';
import type { Denylist } from '../domain/tokens/denylist.js';
import type { AuthenticateUserDeps } from '../domain/users/authenticate-user.js';

/** What the HTTP layer needs from the composition root (which builds it from the runtime). */
export interface HttpDeps {
  readonly clock: Clock;
  readonly issuer: string;
  readonly storage: Storage;
  readonly serverKeys: ServerKeyring;
  readonly directory: ClientDirectory;
  readonly usage: ClientUsage;
  readonly keys: KeyManager;
  readonly denylist: Denylist;
  readonly jwksMaxAgeSeconds: number;
  /** For `authenticateUser` (email + password + address): the login throttle and its bookkeeping. */
  readonly login: AuthenticateUserDeps;
}
