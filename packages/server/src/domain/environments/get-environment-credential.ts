import type { Storage } from '../storage.js';
import type { Application } from '../applications/application.js';
import type { Client } from '../clients/client.js';
import type { Service } from '../catalog/service.js';
import type { TeamActor } from '../members/team-actor.js';
import { findEnvironmentClient } from './regenerate-secret.js';
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
  const { application, client } = await findEnvironmentClient(deps, actor, input.acronym, input.env);
  const services = [];
  for (const grant of client.grants) {
    const service = await deps.storage.services.get(grant.service);
    if (service && service.retiredAt === null) services.push({ service, scopes: grant.scopes });
  }
  return {
    application,
    env: client.env,
    client,
    services,
    tokenEndpoint: tokenEndpointOf(deps.issuer),
    introspectionEndpoint: `${deps.issuer}/oauth/introspect`,
  };
}
