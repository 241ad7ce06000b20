import type { Clock } from '../clock.js';
import type { Storage } from '../storage.js';
import type { Actor } from '../audit/audit-event.js';
import { DomainError } from '../errors.js';

/** Disabling a client stops its token requests and makes its tokens inactive at introspection. */
export async function setClientEnabled(
  deps: { readonly storage: Storage; readonly clock: Clock },
  actor: Actor,
  input: { readonly clientId: string; readonly enabled: boolean },
): Promise<void> {
  const now = deps.clock.now();
  const found = await deps.storage.transaction(async (tx) => {
    if (!(await tx.clients.setEnabled(input.clientId, input.enabled, now))) return false;
    const action = input.enabled ? 'client.enabled' : 'client.disabled';
    await tx.audit.append({ at: now, ...actor, action, target: `client:${input.clientId}`, details: {} });
    return true;
  });
  if (!found) throw new DomainError('not_found', `no client with id ${input.clientId}`);
}
