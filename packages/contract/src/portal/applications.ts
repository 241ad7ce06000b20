import { Type, type Static } from 'typebox';
import { DateTime, NullableDateTime, NullableString } from './date-time.js';
import { PageQuery } from './pagination.js';

/** What the domain accepts as an acronym: 2-16 letters or digits (stored upper-case). */
export const ACRONYM_PATTERN = '^[A-Za-z0-9]{2,16}$';

export const AcronymParams = Type.Object({ acronym: Type.String({ minLength: 1, maxLength: 64, description: 'the application acronym (any case)' }) });
export const EnvParams = Type.Object({ acronym: AcronymParams.properties.acronym, env: Type.String({ minLength: 1, maxLength: 64 }) });

export const Decision = Type.Object(
  {
    decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { title: 'Decision' },
);
export type Decision = Static<typeof Decision>;

export const ApplicationStatus = Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')]);
export type ApplicationStatus = Static<typeof ApplicationStatus>;

export const ApplicationRequestBody = Type.Object({
  acronym: Type.String({ minLength: 2, maxLength: 16, pattern: ACRONYM_PATTERN, description: '2-16 letters or digits; unique regardless of case; stored upper-case' }),
  name: Type.Optional(Type.String({ maxLength: 200 })),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
});
export type ApplicationRequestBody = Static<typeof ApplicationRequestBody>;

export const ApplicationJson = Type.Object({
  acronym: Type.String(),
  name: Type.String(),
  description: Type.String(),
  status: ApplicationStatus,
  requested_by: Type.Union([Type.String(), Type.Null()], { description: "the requester's user id (null: created at the command line)" }),
  requested_at: Type.String({ format: 'date-time', description: 'when it was last asked for: created, or requested again after a rejection' }),
  decision_reason: NullableString,
  decided_at: NullableDateTime,
  created_at: DateTime,
  updated_at: DateTime,
}, { title: 'Application' });
export type ApplicationJson = Static<typeof ApplicationJson>;

/** Your last request, to pre-fill the next one; null when you made none. */
export const ApplicationDraftJson = Type.Union([
  Type.Object({ acronym: Type.String(), name: Type.String(), description: Type.String(), status: ApplicationJson.properties.status }),
  Type.Null(),
]);
export type ApplicationDraftJson = Static<typeof ApplicationDraftJson>;

export const RequesterJson = Type.Union(
  [Type.Object({ id: Type.String(), name: Type.String(), email: Type.String() }), Type.Null()],
  { description: 'who asked (shown to the administrators who decide, and to the team); null when made at the command line' },
);
export type RequesterJson = Static<typeof RequesterJson>;

const GrantJson = Type.Object({ service: Type.String(), scopes: Type.Array(Type.String()) });

export const ClientJson = Type.Object({
  client_id: Type.String(),
  token_endpoint: Type.String(),
  enabled: Type.Boolean(),
  grants: Type.Array(GrantJson),
  created_at: DateTime,
  rotated_at: NullableDateTime,
  last_used_at: Type.Union([DateTime, Type.Null()], { description: 'last token request with any of its secrets (recorded in batches)' }),
  secrets: Type.Array(
    Type.Object({
      id: Type.String(),
      created_at: DateTime,
      expires_at: Type.Union([DateTime, Type.Null()], { description: 'null: works until regenerated' }),
      last_used_at: NullableDateTime,
    }),
  ),
}, { title: 'Client' });
export type ClientJson = Static<typeof ClientJson>;

const EnvironmentStatus = Type.Union([ApplicationStatus, Type.Literal('unregistered')]);

export const EnvironmentJson = Type.Object({
  env: Type.String(),
  status: EnvironmentStatus,
  needs_approval: Type.Boolean(),
  name: Type.String(),
  description: Type.String(),
  services: Type.Array(Type.Object({ key: Type.String(), scopes: Type.Optional(Type.Array(Type.String())) })),
  requested_at: NullableDateTime,
  requester: RequesterJson,
  decided_at: NullableDateTime,
  reason: NullableString,
  client: Type.Union([ClientJson, Type.Null()]),
}, { title: 'Environment' });
export type EnvironmentJson = Static<typeof EnvironmentJson>;

export const ApplicationDetailsJson = Type.Object({
  ...ApplicationJson.properties,
  requester: RequesterJson,
  environments: Type.Array(EnvironmentJson, { description: 'the environments registered or asked for, in configured order' }),
  next_environment: Type.Union([Type.Object({ env: Type.String(), needs_approval: Type.Boolean() }), Type.Null()], {
    description: 'the environment to register next; null when all are registered or one waits for approval',
  }),
}, { title: 'ApplicationDetails' });
export type ApplicationDetailsJson = Static<typeof ApplicationDetailsJson>;

/** Where an environment of a listed application stands: enough for a list, without its credential. */
export const EnvironmentSummaryJson = Type.Object({
  env: Type.String(),
  status: ApplicationStatus,
  needs_approval: Type.Boolean(),
  requested_at: NullableDateTime,
  decided_at: NullableDateTime,
}, { title: 'EnvironmentSummary' });
export type EnvironmentSummaryJson = Static<typeof EnvironmentSummaryJson>;

export const ApplicationListQuery = Type.Object({
  ...PageQuery.properties,
  status: Type.Optional(ApplicationStatus),
  include: Type.Optional(Type.Literal('environments', { description: "environments: each item carries its environments' status, so a list needs no request per application" })),
});

export const ApplicationListItemJson = Type.Object({
  ...ApplicationJson.properties,
  environments: Type.Optional(Type.Array(EnvironmentSummaryJson, { description: 'with include=environments: the environments registered or asked for, in configured order' })),
}, { title: 'ApplicationListItem' });
export type ApplicationListItemJson = Static<typeof ApplicationListItemJson>;

export const ExampleRequestJson = Type.Object({ curl: Type.String(), http: Type.String() }, { title: 'ExampleRequest' });

export const EnvironmentRegistrationBody = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 200 })),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  services: Type.Array(
    Type.Object({
      key: Type.String({ minLength: 1, maxLength: 64, description: 'a service key from GET /api/v1/services' }),
      scopes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: 100, description: 'a subset of its scopes; omitted: all of them' })),
    }),
    { minItems: 1, maxItems: 50 },
  ),
});
export type EnvironmentRegistrationBody = Static<typeof EnvironmentRegistrationBody>;

export const RegenerateSecretBody = Type.Object({
  grace_seconds: Type.Optional(Type.Integer({ minimum: 0, description: 'how long the previous secret keeps working (default 0: it stops now)' })),
});
export type RegenerateSecretBody = Static<typeof RegenerateSecretBody>;

/** A credential as registering or regenerating answers it: the secret shown this once. */
export const CredentialJson = Type.Object({
  env: Type.String(),
  status: Type.Union([Type.Literal('approved'), Type.Literal('pending')]),
  message: Type.String(),
  client_id: Type.Optional(Type.String()),
  client_secret: Type.Optional(Type.String({ description: 'shown this once: only its hash is kept' })),
  token_endpoint: Type.String(),
  example_request: Type.Optional(ExampleRequestJson),
  client: Type.Optional(ClientJson),
  previous_secret_expires_at: Type.Optional(Type.String({ format: 'date-time' })),
}, { title: 'Credential' });
export type CredentialJson = Static<typeof CredentialJson>;
