import { SIGNING_ALGS } from '../keys/signing-key.js';
import type { Storage } from '../storage.js';

export interface DescribeServerDeps {
  readonly storage: Pick<Storage, 'services'>;
  readonly issuer: string;
}

/**
 * RFC 8414 §2 authorization server metadata. `scopes_supported` lists the scopes of every service not
 * retired, read now (a new service's scopes appear without a restart).
 */
export async function describeAuthorizationServer(deps: DescribeServerDeps, grantTypes: readonly string[]): Promise<Record<string, unknown>> {
  const { issuer } = deps;
  const services = await deps.storage.services.list();
  const scopes = [...new Set(services.filter((s) => s.retiredAt === null).flatMap((s) => s.scopes.map((x) => x.name)))].sort();
  const authMethods = ['client_secret_basic', 'client_secret_post'];
  return {
    issuer,
    token_endpoint: `${issuer}/oauth/token`,
    jwks_uri: `${issuer}/oauth/jwks`,
    introspection_endpoint: `${issuer}/oauth/introspect`,
    revocation_endpoint: `${issuer}/oauth/revoke`,
    // A Latchkey extension (docs/revocation-feed.md): what verifiers of its JWTs must refuse, within a second.
    revocation_feed_endpoint: `${issuer}/oauth/revocations`,
    // Also an extension (no RFC names one for access tokens): the algorithms a key of this server may sign
    // with, so a verifier pins to them instead of trusting a token's header (RFC 8725 §3.1).
    access_token_signing_alg_values_supported: [...SIGNING_ALGS],
    grant_types_supported: grantTypes,
    response_types_supported: [],
    token_endpoint_auth_methods_supported: authMethods,
    introspection_endpoint_auth_methods_supported: authMethods,
    revocation_endpoint_auth_methods_supported: authMethods,
    scopes_supported: scopes,
    service_documentation: `${issuer}/docs`,
  };
}
