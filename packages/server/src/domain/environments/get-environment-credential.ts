import type { Storage } from '../storage.js';
import type { Application } from '../applications/application.js';
import type { Client } from '../clients/client.js';
import type { Service } from '../catalog/service.js';
import type { Actor } from '../actor.js';
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

export interface EnvironmentCredentialDeps {
  readonly storage: Pick<Storage, 'applications' | 'members' | 'clients' | 'services'>;
  readonly issuer: string;
}

/** For members (and administrators): the environment's client and what it may call. */
export async function getEnvironmentCredential(
  deps: EnvironmentCredentialDeps,
  input: { readonly actor: Actor; readonly acronym: string; readonly env: string },
): Promise<EnvironmentCredential> {
  const { application, client } = await findEnvironmentClient(deps, input.actor, input.acronym, input.env);
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
