import { DomainError } from '../errors.js';
import { rotateClientSecret } from '../clients/rotate-client-secret.js';
import type { Client } from '../clients/client.js';
import type { Application } from '../applications/application.js';
import type { Actor } from '../actor.js';
import { requireMembership } from '../members/require-membership.js';
import type { Storage } from '../storage.js';
import type { RotateClientSecretDeps } from '../clients/rotate-client-secret.js';
import { tokenEndpointOf } from './register-environment.js';
import { normaliseEnv } from './environment-registration.js';

export interface RegenerateSecretResult {
  readonly client: Client;
  readonly clientSecret: string;
  readonly tokenEndpoint: string;
  /** When the previous secrets stop working: now, or after the requested grace period. */
  readonly previousSecretsExpireAt: number;
}

/** The client of an application's environment, for its members; `not_found` when not registered. */
export async function findEnvironmentClient(
  deps: { readonly storage: Pick<Storage, 'applications' | 'members' | 'clients'> },
  actor: Actor,
  acronym: string,
  env: string,
): Promise<{ application: Application; client: Client }> {
  const application = await requireMembership(deps.storage, actor, acronym);
  const client = (await deps.storage.clients.list({ acronym: application.acronym })).find((c) => c.env === normaliseEnv(env));
  if (!client) throw new DomainError('not_found', `${application.acronym} has no ${normaliseEnv(env)} client; register the environment first`);
  return { application, client };
}

/**
 * A member regenerates an environment's secret (shown this once). The old one stops at once unless
 * `graceSeconds` (at most LATCHKEY_MAX_SECRET_GRACE) keeps it working a while; then it retires itself.
 */
export async function regenerateSecret(
  deps: RotateClientSecretDeps & { readonly storage: Pick<Storage, 'applications' | 'members' | 'clients'>; readonly issuer: string },
  input: { readonly actor: Actor; readonly acronym: string; readonly env: string; readonly graceSeconds?: number },
): Promise<RegenerateSecretResult> {
  const { client } = await findEnvironmentClient(deps, input.actor, input.acronym, input.env);
  const rotated = await rotateClientSecret(deps, {
    actor: input.actor,
    clientId: client.clientId,
    application: client.acronym,
    ...(input.graceSeconds === undefined ? {} : { graceSeconds: input.graceSeconds }),
  });
  const updated = (await deps.storage.clients.get(client.clientId)) ?? client;
  return { client: updated, clientSecret: rotated.clientSecret, tokenEndpoint: tokenEndpointOf(deps.issuer), previousSecretsExpireAt: rotated.previousSecretsExpireAt };
}
