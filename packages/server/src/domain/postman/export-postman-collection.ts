import type { Actor } from '../actor.js';
import type { Random } from '../random.js';
import { serviceAudience } from '../catalog/service.js';
import { getEnvironmentCredential, type EnvironmentCredentialDeps } from '../environments/get-environment-credential.js';
import { buildCollection } from './build-collection.js';
import type { PostmanCollection } from './postman-collection.js';

/**
 * The Postman collection of an application environment's credential, for its members (and administrators):
 * `not_found` without such an application or client, `forbidden` for anyone else (getEnvironmentCredential).
 * Services get an example call where the catalog gives them a base URL for that environment.
 */
export async function exportPostmanCollection(
  deps: EnvironmentCredentialDeps & { readonly random: Random },
  input: { readonly actor: Actor; readonly acronym: string; readonly env: string },
): Promise<PostmanCollection> {
  const credential = await getEnvironmentCredential(deps, input);
  return buildCollection(deps.random, {
    acronym: credential.application.acronym,
    env: credential.env,
    issuer: deps.issuer,
    clientId: credential.client.clientId,
    tokenEndpoint: credential.tokenEndpoint,
    introspectionEndpoint: credential.introspectionEndpoint,
    services: credential.services.map(({ service, scopes }) => ({
      key: service.key,
      name: service.name,
      scopes,
      baseUrl: service.baseUrls[credential.env] ?? null,
      audience: serviceAudience(service, credential.env),
    })),
  });
}
