import { Type } from 'typebox';
import type { Application } from '../../domain/applications/application.js';
import type { Client } from '../../domain/clients/client.js';
import type { EnvironmentView } from '../../domain/environments/environment-view.js';
import type { ApplicationDetails, Requester } from '../../domain/applications/get-application.js';

const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));
const DateTime = Type.String({ format: 'date-time' });
const NullableDateTime = Type.Union([DateTime, Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);

export const AcronymParams = Type.Object({ acronym: Type.String({ minLength: 1, maxLength: 64, description: 'the application acronym (any case)' }) });
export const EnvParams = Type.Object({ acronym: AcronymParams.properties.acronym, env: Type.String({ minLength: 1, maxLength: 64 }) });

export const Decision = Type.Object(
  {
    decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { title: 'Decision' },
)

const Status = Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')]);

export const ApplicationJson = Type.Object({
  acronym: Type.String(),
  name: Type.String(),
  description: Type.String(),
  status: Status,
  requested_by: Type.Union([Type.String(), Type.Null()], { description: "the requester's user id (null: created at the command line)" }),
  requested_at: Type.String({ format: 'date-time', description: 'when it was last asked for: created, or requested again after a rejection' }),
  decision_reason: NullableString,
  decided_at: NullableDateTime,
  created_at: DateTime,
  updated_at: DateTime,
}, { title: 'Application' });

export function toApplicationJson(a: Application) {
  return {
    acronym: a.acronym,
    name: a.name,
    description: a.description,
    status: a.status,
    requested_by: a.requestedBy,
    requested_at: iso(a.requestedAt),
    decision_reason: a.decisionReason,
    decided_at: isoOrNull(a.decidedAt),
    created_at: iso(a.createdAt),
    updated_at: iso(a.updatedAt),
  };
}

const RequesterJson = Type.Union(
  [Type.Object({ id: Type.String(), name: Type.String(), email: Type.String() }), Type.Null()],
  { description: 'who asked (shown to the administrators who decide, and to the team); null when made at the command line' },
);

const toRequesterJson = (r: Requester | null | undefined) => (r ? { id: r.id, name: r.name, email: r.email } : null);

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

export function toClientJson(c: Client, tokenEndpoint: string) {
  return {
    client_id: c.clientId,
    token_endpoint: tokenEndpoint,
    enabled: c.enabled,
    grants: c.grants.map((g) => ({ service: g.service, scopes: [...g.scopes] })),
    created_at: iso(c.createdAt),
    rotated_at: isoOrNull(c.rotatedAt),
    last_used_at: isoOrNull(c.lastUsedAt),
    secrets: c.secrets.map((s) => ({ id: s.id, created_at: iso(s.createdAt), expires_at: isoOrNull(s.expiresAt), last_used_at: isoOrNull(s.lastUsedAt) })),
  };
}

export const EnvironmentJson = Type.Object({
  env: Type.String(),
  status: Type.Union([Status, Type.Literal('unregistered')]),
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

export function toEnvironmentJson(v: EnvironmentView & { readonly requester?: Requester | null }, tokenEndpoint: string) {
  const r = v.registration;
  return {
    env: v.env,
    status: v.status,
    needs_approval: v.needsApproval,
    name: r?.name ?? '',
    description: r?.description ?? '',
    services: (r?.services ?? []).map((s) => ({ key: s.key, ...(s.scopes ? { scopes: [...s.scopes] } : {}) })),
    requested_at: isoOrNull(r?.requestedAt ?? null),
    requester: toRequesterJson(v.requester),
    decided_at: isoOrNull(r?.decidedAt ?? null),
    reason: r?.reason ?? null,
    client: v.client ? toClientJson(v.client, tokenEndpoint) : null,
  };
}

export const ApplicationDetailsJson = Type.Object({
  ...ApplicationJson.properties,
  requester: RequesterJson,
  environments: Type.Array(EnvironmentJson, { description: 'the environments registered or asked for, in configured order' }),
  next_environment: Type.Union([Type.Object({ env: Type.String(), needs_approval: Type.Boolean() }), Type.Null()], {
    description: 'the environment to register next; null when all are registered or one waits for approval',
  }),
}, { title: 'ApplicationDetails' });

export function toApplicationDetailsJson(details: ApplicationDetails, tokenEndpoint: string) {
  const next = details.nextEnvironment;
  return {
    ...toApplicationJson(details.application),
    requester: toRequesterJson(details.requester),
    environments: details.environments.filter((e) => e.status !== 'unregistered').map((e) => toEnvironmentJson(e, tokenEndpoint)),
    next_environment: next ? { env: next.env, needs_approval: next.needsApproval } : null,
  };
}

/** How to call the token endpoint with a credential (the secret left as a variable, never echoed twice). */
export function exampleRequest(tokenEndpoint: string, clientId: string) {
  return {
    curl: `curl -s -u '${clientId}':"$CLIENT_SECRET" -d grant_type=client_credentials ${tokenEndpoint}`,
    http: [
      `POST ${new URL(tokenEndpoint).pathname} HTTP/1.1`,
      `Host: ${new URL(tokenEndpoint).host}`,
      'Authorization: Basic base64(<client_id>:<client_secret>)',
      'Content-Type: application/x-www-form-urlencoded',
      '',
      'grant_type=client_credentials',
    ].join('\n'),
  };
}

export const ExampleRequestJson = Type.Object({ curl: Type.String(), http: Type.String() }, { title: 'ExampleRequest' });
