/** RFC 8414 §2 authorization server metadata. */
export function serverMetadata(input: { issuer: string; grantTypes: readonly string[]; scopes: readonly string[] }): Record<string, unknown> {
  const { issuer } = input;
  const authMethods = ['client_secret_basic', 'client_secret_post'];
  return {
    issuer,
    token_endpoint: `${issuer}/oauth/token`,
    jwks_uri: `${issuer}/oauth/jwks`,
    introspection_endpoint: `${issuer}/oauth/introspect`,
    revocation_endpoint: `${issuer}/oauth/revoke`,
    grant_types_supported: input.grantTypes,
    response_types_supported: [],
    token_endpoint_auth_methods_supported: authMethods,
    introspection_endpoint_auth_methods_supported: authMethods,
    revocation_endpoint_auth_methods_supported: authMethods,
    scopes_supported: input.scopes,
    service_documentation: `${issuer}/docs`,
  };
}
