import type { Clock } from '../clock.js';
import type { Storage } from '../storage.js';
import type { Lockout } from './lockout.js';

/** Login lock-outs in force now, for administrators (CLI `lockouts list`, `GET /api/v1/lockouts`). */
export function listLockouts(deps: { readonly storage: Pick<Storage, 'lockouts'>; readonly clock: Clock }): Promise<Lockout[]> {
  return deps.storage.lockouts.listActive(deps.clock.now());
}
