import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Storage } from '../storage.js';
import type { Actor } from '../audit/audit-event.js';
import type { ServerKeyring } from '../secrets/server-key.js';
import { DomainError } from '../errors.js';
import { generateSecret } from '../secrets/generated-secret.js';
import { throwIfInvalid } from '../catalog/service.js';

export interface RotateClientSecretInput {
  readonly clientId: string;
  /** How long the previous secret(s) keep working; 0 (default): they stop at once. */
  readonly graceSeconds?: number;
  /** The client's application acronym, when known: the audit event is then filed under the application. */
  readonly application?: string;
}

export interface RotateClientSecretDeps {
  readonly storage: Storage;
  readonly clock: Clock;
  readonly serverKeys: ServerKeyring;
  readonly maxGraceSeconds: number;
}

export async function rotateClientSecret(
  deps: RotateClientSecretDeps,
  actor: Actor,
  input: RotateClientSecretInput,
): Promise<{ clientId: string; clientSecret: string; previousSecretsExpireAt: number }> {
  const grace = input.graceSeconds ?? 0;
  throwIfInvalid(
    Number.isInteger(grace) && grace >= 0 && grace <= deps.maxGraceSeconds
      ? []
      : [{ field: 'grace_seconds', message: `an overlap is a whole number of seconds from 0 to ${deps.maxGraceSeconds}` }],
  );
  const now = deps.clock.now();
  const clientSecret = generateSecret('clientSecret');
  const othersExpireAt = now + grace * 1000;
  const secret = { id: randomUUID(), hash: deps.serverKeys.hash(clientSecret), createdAt: now, expiresAt: null, lastUsedAt: null };
  const found = await deps.storage.transaction(async (tx) => {
    if (!(await tx.clients.addSecret(input.clientId, secret, othersExpireAt, now))) return false;
    const target = input.application === undefined ? `client:${input.clientId}` : `application:${input.application}`;
    await tx.audit.append({ at: now, ...actor, action: 'client.secret_rotated', target, details: { client_id: input.clientId, grace_seconds: grace } });
    return true;
  });
  if (!found) throw new DomainError('not_found', `no client with id ${input.clientId}`);
  return { clientId: input.clientId, clientSecret, previousSecretsExpireAt: othersExpireAt };
}
