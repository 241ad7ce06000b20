import type { Storage } from '../storage.js';
import type { Application } from '../applications/application.js';
import type { Client } from '../clients/client.js';
import type { Service } from '../catalog/service.js';
import type { TeamActor } from '../members/team-actor.js';
import { requireMembership } from '../members/require-membership.js';
import { DomainError } from '../errors.js';
import { tokenEndpointOf } from './register-environment.js';

/** Everything a tool needs to call with an environment's credential (a Postman collection, say); never the secret. */
export interface EnvironmentCredential {
  readonly application: Application;
  readonly env: string;
  readonly client: Client;
  /** The granted services still in the catalog, each with the scopes granted. */
  readonly services: readonly { readonly service: Service; readonly scopes: readonly string[] }[];
  readonly tokenEndpoint: string;
  readonly introspectionEndpoint: string;
}

/** For members (and administrators): the environment's client and what it may call. */
export async function getEnvironmentCredential(
  deps: { readonly storage: Storage; readonly issuer: string },
  actor: TeamActor,
  input: { readonly acronym: string; readonly env: string },
): Promise<EnvironmentCredential> {
  const application = await requireMembership(deps.storage, actor, input.acronym);
  const client = (await deps.storage.clients.list({ acronym: application.acronym })).find((c) => c.env === input.env);
  if (!client) throw new DomainError('not_found', `${application.acronym} has no ${input.env} client; register the environment first`);
  const services = [];
  for (const grant of client.grants) {
    const service = await deps.storage.services.get(grant.service);
    if (service && service.retiredAt === null) services.push({ service, scopes: grant.scopes });
  }
  return {
    application,
    env: input.env,
    client,
    services,
    tokenEndpoint: tokenEndpointOf(deps.issuer),
    introspectionEndpoint: `${deps.issuer}/oauth/introspect`,
  };
}
