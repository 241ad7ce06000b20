import type { Clock } from '../clock.js';
import type { Random } from '../random.js';
import type { Storage } from '../storage.js';
import { auditActor, type Actor } from '../actor.js';
import type { ServerKeyring } from '../secrets/server-key.js';
import { DomainError } from '../errors.js';
import { generateSecret } from '../secrets/generated-secret.js';
import { throwIfInvalid } from '../validation.js';

export interface RotateClientSecretInput {
  readonly actor: Actor;
  readonly clientId: string;
  /** How long the previous secret(s) keep working; 0 (default): they stop at once. */
  readonly graceSeconds?: number;
  /** The client's application acronym, when known: the audit event is then filed under the application. */
  readonly application?: string;
}

export interface RotateClientSecretDeps {
  readonly storage: Pick<Storage, 'transaction'>;
  readonly clock: Clock;
  readonly random: Random;
  readonly serverKeys: ServerKeyring;
  /** LATCHKEY_MAX_SECRET_GRACE. */
  readonly maxSecretGraceSeconds: number;
}

/** A new secret for a client (shown this once); the previous ones stop at once, or after `graceSeconds`. */
export async function rotateClientSecret(
  deps: RotateClientSecretDeps,
  input: RotateClientSecretInput,
): Promise<{ clientId: string; clientSecret: string; previousSecretsExpireAt: number }> {
  const grace = input.graceSeconds ?? 0;
  throwIfInvalid(
    Number.isInteger(grace) && grace >= 0 && grace <= deps.maxSecretGraceSeconds
      ? []
      : [{ field: 'grace_seconds', message: `an overlap is a whole number of seconds from 0 to ${deps.maxSecretGraceSeconds}` }],
  );
  const now = deps.clock.now();
  const clientSecret = generateSecret(deps.random, 'clientSecret');
  const othersExpireAt = now + grace * 1000;
  const secret = { id: deps.random.uuid(), hash: deps.serverKeys.hash(clientSecret), createdAt: now, expiresAt: null, lastUsedAt: null };
  const found = await deps.storage.transaction(async (tx) => {
    if (!(await tx.clients.addSecret(input.clientId, secret, othersExpireAt, now))) return false;
    const target = input.application === undefined ? `client:${input.clientId}` : `application:${input.application}`;
    await tx.audit.append({ at: now, ...auditActor(input.actor), action: 'client.secret_rotated', target, details: { client_id: input.clientId, grace_seconds: grace } });
    return true;
  });
  if (!found) throw new DomainError('not_found', `no client with id ${input.clientId}`);
  return { clientId: input.clientId, clientSecret, previousSecretsExpireAt: othersExpireAt };
}
