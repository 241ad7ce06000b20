import type { Clock } from '../clock.js';
import type { Storage } from '../storage.js';
import { auditActor, type Actor } from '../actor.js';
import { DomainError } from '../errors.js';

/** Disabling a client stops its token requests and makes its tokens inactive at introspection. */
export async function setClientEnabled(
  deps: { readonly storage: Pick<Storage, 'transaction'>; readonly clock: Clock },
  input: { readonly actor: Actor; readonly clientId: string; readonly enabled: boolean },
): Promise<void> {
  const now = deps.clock.now();
  const found = await deps.storage.transaction(async (tx) => {
    if (!(await tx.clients.setEnabled(input.clientId, input.enabled, now))) return false;
    const action = input.enabled ? 'client.enabled' : 'client.disabled';
    await tx.audit.append({ at: now, ...auditActor(input.actor), action, target: `client:${input.clientId}`, details: {} });
    return true;
  });
  if (!found) throw new DomainError('not_found', `no client with id ${input.clientId}`);
}
