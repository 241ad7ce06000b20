import type { Clock } from '../clock.js';
import type { Storage } from '../storage.js';
import { requireRole, type Actor } from '../actor.js';
import type { Lockout } from './lockout.js';

/** Login lock-outs in force now, for administrators (CLI `lockouts list`, `GET /api/v1/lockouts`). */
export async function listLockouts(deps: { readonly storage: Pick<Storage, 'lockouts'>; readonly clock: Clock }, input: { readonly actor: Actor }): Promise<Lockout[]> {
  requireRole(input.actor, 'admin', 'listing lock-outs');
  return deps.storage.lockouts.listActive(deps.clock.now());
}
