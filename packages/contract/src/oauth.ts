import { Type } from 'typebox';

/**
 * The OAuth endpoints' requests and answers, as route schemas. On the server they document and never
 * validate: the token endpoint parses its form itself, faster than a compiled validator, and every
 * failure must be an RFC 6749 error.
 */
const TAG = 'oauth';

/** RFC 6749 §5.2 (with RFC 8707 `invalid_target`), the body of every OAuth endpoint's failure. */
export const OAuthError = Type.Object(
  {
    error: Type.Union(
      [
        'invalid_request',
        'invalid_client',
        'invalid_grant',
        'unauthorized_client',
        'unsupported_grant_type',
        'invalid_scope',
        'invalid_target',
        'access_denied',
        'server_error',
        'temporarily_unavailable',
      ].map((code) => Type.Literal(code)),
    ),
    error_description: Type.String({ description: 'what went wrong and what to send instead' }),
  },
  { title: 'OAuthError', description: 'RFC 6749 §5.2 error response' },
);

/** The error responses of `statuses`, typed by status so that clients can tell which are documented. */
function oauthErrors<Status extends number>(...statuses: Status[]): Record<Status, typeof OAuthError> {
  return Object.fromEntries(statuses.map((s) => [s, OAuthError])) as Record<Status, typeof OAuthError>;
}

/** client_secret_post (RFC 6749 §2.3.1): the credentials as form fields, instead of HTTP Basic. */
const ClientCredentialFields = {
  client_id: Type.Optional(Type.String({ description: 'client_secret_post; omit when sending HTTP Basic' })),
  client_secret: Type.Optional(Type.String({ description: 'client_secret_post; omit when sending HTTP Basic' })),
};

/**
 * HTTP Basic (client_secret_basic) or the form fields (client_secret_post, which OpenAPI cannot name as a
 * scheme: hence the empty alternative); the password grant may send neither.
 */
const CLIENT_AUTHENTICATION: readonly Readonly<Record<string, readonly string[]>>[] = [{ clientSecretBasic: [] }, {}];

const TokenRequest = Type.Object(
  {
    grant_type: Type.Union([Type.Literal('client_credentials'), Type.Literal('password')]),
    scope: Type.Optional(Type.String({ description: 'space-separated; absent: every scope granted' })),
    resource: Type.Optional(Type.Array(Type.String({ format: 'uri' }), { description: 'RFC 8707: the audience(s) wanted, repeated as a parameter' })),
    username: Type.Optional(Type.String({ description: 'password grant: the portal user email' })),
    password: Type.Optional(Type.String({ description: 'password grant' })),
    ...ClientCredentialFields,
  },
  { title: 'TokenRequest', description: 'RFC 6749 §4.4 (client_credentials) and §4.3 (password)' },
);

const TokenResponse = Type.Object(
  {
    access_token: Type.String({ description: 'an RFC 9068 JWT (typ at+jwt)' }),
    token_type: Type.Literal('Bearer'),
    expires_in: Type.Integer({ description: 'seconds' }),
    scope: Type.String({ description: 'the scopes granted, space-separated' }),
  },
  { title: 'TokenResponse', description: 'RFC 6749 §5.1' },
);

export const TOKEN_SCHEMA = {
  operationId: 'issueToken',
  tags: [TAG],
  summary: 'Issue an access token (RFC 6749: client_credentials, password; RFC 8707 resource)',
  security: CLIENT_AUTHENTICATION,
  consumes: ['application/x-www-form-urlencoded'],
  body: TokenRequest,
  response: { 200: TokenResponse, ...oauthErrors(400, 401, 403, 413, 415, 429, 503) },
};

const TokenParameter = {
  token: Type.String(),
  token_type_hint: Type.Optional(Type.Union([Type.Literal('access_token'), Type.Literal('refresh_token')], { description: 'ignored: every token is an access token' })),
  ...ClientCredentialFields,
};

const IntrospectionRequest = Type.Object(TokenParameter, { title: 'IntrospectionRequest', description: 'RFC 7662 §2.1' });

const IntrospectionResponse = Type.Object(
  {
    active: Type.Boolean(),
    token_type: Type.Optional(Type.Literal('Bearer')),
    scope: Type.Optional(Type.String()),
    client_id: Type.Optional(Type.String()),
    sub: Type.Optional(Type.String()),
    aud: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
    iss: Type.Optional(Type.String()),
    exp: Type.Optional(Type.Integer()),
    iat: Type.Optional(Type.Integer()),
    nbf: Type.Optional(Type.Integer()),
    jti: Type.Optional(Type.String()),
    env: Type.Optional(Type.String({ description: "an application client's environment" })),
    app: Type.Optional(Type.String({ description: "an application client's acronym" })),
  },
  {
    title: 'IntrospectionResponse',
    description: "RFC 7662 §2.2: `{active: false}` for a token that is not active; else `active: true` with the token's claims",
    additionalProperties: true,
  },
);

export const INTROSPECT_SCHEMA = {
  operationId: 'introspectToken',
  tags: [TAG],
  summary: 'Is this token active, and its claims (RFC 7662); the caller authenticates as any enabled client',
  security: CLIENT_AUTHENTICATION,
  consumes: ['application/x-www-form-urlencoded'],
  body: IntrospectionRequest,
  response: { 200: IntrospectionResponse, ...oauthErrors(400, 401, 413, 415, 429, 503) },
};

const RevocationRequest = Type.Object(TokenParameter, { title: 'RevocationRequest', description: 'RFC 7009 §2.1' });

export const REVOKE_SCHEMA = {
  operationId: 'revokeToken',
  tags: [TAG],
  summary: 'Revoke a token issued to the calling client (RFC 7009): 200 whether or not there was one',
  security: CLIENT_AUTHENTICATION,
  consumes: ['application/x-www-form-urlencoded'],
  body: RevocationRequest,
  response: { 200: Type.Null({ description: 'revoked, or nothing to revoke (RFC 7009 §2.2)' }), ...oauthErrors(400, 401, 413, 415, 429, 503) },
};

const RevocationFeedQuery = Type.Object(
  {
    since: Type.Optional(Type.String({ description: 'the cursor of a previous answer; absent (or one this server cannot continue from): a snapshot' })),
    wait: Type.Optional(Type.Integer({ minimum: 0, maximum: 30, default: 0, description: 'long-poll: seconds to hold the request while nothing happens after since' })),
  },
  { title: 'RevocationFeedQuery' },
);

const RevocationEvent = Type.Union(
  [
    Type.Object(
      { type: Type.Literal('token'), id: Type.String({ description: 'the jti to refuse' }), revoked: Type.Boolean(), exp: Type.Integer({ description: 'seconds since epoch: the entry may be dropped after' }) },
      { title: 'RevokedTokenEvent' },
    ),
    Type.Object(
      { type: Type.Literal('client'), id: Type.String({ description: 'refuse tokens whose client_id is this while revoked' }), revoked: Type.Boolean() },
      { title: 'RevokedClientEvent' },
    ),
    Type.Object(
      { type: Type.Literal('user'), id: Type.String({ description: 'refuse tokens whose sub is this while revoked' }), revoked: Type.Boolean() },
      { title: 'RevokedUserEvent' },
    ),
    Type.Object(
      { type: Type.Literal('generation'), id: Type.String({ description: 'a subject (sub)' }), generation: Type.Integer({ description: 'refuse its tokens whose gen claim is below this' }) },
      { title: 'TokenGenerationEvent' },
    ),
    Type.Object(
      { type: Type.Literal('key'), id: Type.String({ description: 'a signing key id (kid) revoked in an emergency rotation: refuse every token whose header names it, even one verified before' }), revoked: Type.Boolean() },
      { title: 'RevokedKeyEvent' },
    ),
  ],
  { title: 'RevocationEvent' },
);

const RevocationFeedPage = Type.Object(
  {
    cursor: Type.String({ description: 'opaque: pass it as since on the next call' }),
    snapshot: Type.Boolean({ description: 'true: replace your whole state with events; false: apply them in order' }),
    max_token_lifetime: Type.Integer({ description: 'seconds: how long to keep an entry without exp' }),
    events: Type.Array(RevocationEvent),
  },
  { title: 'RevocationFeedPage', description: 'docs/revocation-feed.md' },
);

export const REVOCATIONS_SCHEMA = {
  operationId: 'readRevocationFeed',
  tags: [TAG],
  summary: 'The revocation feed: what verifiers of Latchkey JWTs must refuse (snapshot, then deltas; long-poll)',
  security: [{ clientSecretBasic: [] }],
  querystring: RevocationFeedQuery,
  response: { 200: RevocationFeedPage, ...oauthErrors(400, 401, 503) },
};

const AuthMethods = Type.Array(Type.String(), { description: 'client_secret_basic, client_secret_post' });

const AuthorizationServerMetadata = Type.Object(
  {
    issuer: Type.String({ format: 'uri' }),
    token_endpoint: Type.String({ format: 'uri' }),
    jwks_uri: Type.String({ format: 'uri' }),
    introspection_endpoint: Type.String({ format: 'uri' }),
    revocation_endpoint: Type.String({ format: 'uri' }),
    revocation_feed_endpoint: Type.String({ format: 'uri', description: 'Latchkey extension: GET, the revocation feed (docs/revocation-feed.md)' }),
    access_token_signing_alg_values_supported: Type.Array(Type.String(), { description: 'Latchkey extension: the JWS algorithms its access tokens are signed with (verifiers pin to these)' }),
    grant_types_supported: Type.Array(Type.String()),
    response_types_supported: Type.Array(Type.String(), { description: 'empty: no authorization endpoint' }),
    token_endpoint_auth_methods_supported: AuthMethods,
    introspection_endpoint_auth_methods_supported: AuthMethods,
    revocation_endpoint_auth_methods_supported: AuthMethods,
    scopes_supported: Type.Array(Type.String()),
    service_documentation: Type.String({ format: 'uri' }),
  },
  { title: 'AuthorizationServerMetadata', description: 'RFC 8414 §2', additionalProperties: true },
);

export const METADATA_SCHEMA = {
  operationId: 'getAuthorizationServerMetadata',
  tags: [TAG],
  summary: 'Authorization server metadata (RFC 8414)',
  security: [],
  response: { 200: AuthorizationServerMetadata },
};

const JsonWebKey = Type.Object(
  {
    kty: Type.String(),
    kid: Type.String(),
    use: Type.Optional(Type.Literal('sig')),
    alg: Type.Optional(Type.String({ description: 'ES256 by default' })),
    crv: Type.Optional(Type.String()),
    x: Type.Optional(Type.String()),
    y: Type.Optional(Type.String()),
    n: Type.Optional(Type.String()),
    e: Type.Optional(Type.String()),
  },
  { title: 'JsonWebKey', description: 'RFC 7517 §4: a public key (EC or RSA members)', additionalProperties: true },
);

const JsonWebKeySet = Type.Object(
  { keys: Type.Array(JsonWebKey, { description: 'the current signing key and those whose tokens may still be valid' }) },
  { title: 'JsonWebKeySet', description: 'RFC 7517 §5' },
);

export const JWKS_SCHEMA = {
  operationId: 'getJsonWebKeySet',
  tags: [TAG],
  summary: 'The public keys that verify access tokens (RFC 7517)',
  security: [],
  response: { 200: JsonWebKeySet },
};
