import type {
  ApplicationDetailsJson,
  ApplicationJson,
  ApplicationListItemJson,
  ClientJson,
  EnvironmentJson,
  EnvironmentSummaryJson,
  RequesterJson,
} from '@latchkey/contract';
import type { Application } from '../../domain/applications/application.js';
import type { Client } from '../../domain/clients/client.js';
import type { EnvironmentView } from '../../domain/environments/environment-view.js';
import type { ApplicationDetails, Requester } from '../../domain/applications/get-application.js';

/** The domain's applications, clients and environments as the portal API sends them (@latchkey/contract). */
const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

export function toApplicationJson(a: Application): ApplicationJson {
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

const toRequesterJson = (r: Requester | null | undefined): RequesterJson => (r ? { id: r.id, name: r.name, email: r.email } : null);

export function toClientJson(c: Client, tokenEndpoint: string): ClientJson {
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

export function toEnvironmentJson(v: EnvironmentView & { readonly requester?: Requester | null }, tokenEndpoint: string): EnvironmentJson {
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

export function toApplicationDetailsJson(details: ApplicationDetails, tokenEndpoint: string): ApplicationDetailsJson {
  const next = details.nextEnvironment;
  return {
    ...toApplicationJson(details.application),
    requester: toRequesterJson(details.requester),
    environments: details.environments.filter((e) => e.status !== 'unregistered').map((e) => toEnvironmentJson(e, tokenEndpoint)),
    next_environment: next ? { env: next.env, needs_approval: next.needsApproval } : null,
  };
}

/** An environment of a listed application: where it stands, without its credential or requester. */
function toEnvironmentSummaryJson(v: EnvironmentView): EnvironmentSummaryJson[] {
  if (v.status === 'unregistered') return [];
  const r = v.registration;
  return [{ env: v.env, status: v.status, needs_approval: v.needsApproval, requested_at: isoOrNull(r?.requestedAt ?? null), decided_at: isoOrNull(r?.decidedAt ?? null) }];
}

/** A listed application with the environments registered or asked for (`?include=environments`). */
export function toApplicationListItemJson(a: Application, environments: readonly EnvironmentView[]): ApplicationListItemJson {
  return { ...toApplicationJson(a), environments: environments.flatMap(toEnvironmentSummaryJson) };
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
