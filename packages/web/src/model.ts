/**
 * The API's resources as the pages use them. The readers accept snake_case and camelCase field names and
 * times as ISO strings or epoch numbers, so a page keeps working while the API's shapes settle.
 */
type Raw = Record<string, unknown>;

function get(raw: Raw, ...names: string[]): unknown {
  for (const name of names) if (raw[name] !== undefined && raw[name] !== null) return raw[name];
  return undefined;
}
export function str(raw: Raw, ...names: string[]): string {
  const value = get(raw, ...names);
  return value === undefined ? '' : String(value);
}
export function time(raw: Raw, ...names: string[]): string | number | null {
  const value = get(raw, ...names);
  return typeof value === 'string' || typeof value === 'number' ? value : null;
}
function list(raw: Raw, ...names: string[]): Raw[] {
  const value = get(raw, ...names);
  return Array.isArray(value) ? (value as Raw[]) : [];
}

export type Status = 'pending' | 'approved' | 'rejected';

/** Who asked for an application or an environment. */
export interface Requester {
  readonly name: string;
  readonly email: string;
}

function requesterOf(raw: Raw): Requester | null {
  const value = get(raw, 'requester');
  return value && typeof value === 'object' ? { name: str(value as Raw, 'name'), email: str(value as Raw, 'email') } : null;
}

export interface Grant {
  readonly service: string;
  readonly scopes: readonly string[];
}

export interface Environment {
  readonly env: string;
  /** approved: registered, its credential exists. */
  readonly status: Status;
  readonly reason: string;
  readonly name: string;
  readonly description: string;
  readonly requester: Requester | null;
  readonly requestedAt: string | number | null;
  readonly decidedAt: string | number | null;
  readonly clientId: string;
  readonly tokenEndpoint: string;
  readonly grants: readonly Grant[];
  readonly createdAt: string | number | null;
  readonly rotatedAt: string | number | null;
  readonly lastUsedAt: string | number | null;
  /** An administrator approves its registration (LATCHKEY_APPROVAL_ENVIRONMENTS). */
  readonly needsApproval: boolean | null;
}

export interface Application {
  readonly acronym: string;
  readonly name: string;
  readonly description: string;
  readonly status: Status;
  readonly reason: string;
  readonly requestedBy: string;
  readonly requester: Requester | null;
  /** When it was last asked for (a request made again after a rejection is newer than createdAt). */
  readonly requestedAt: string | number | null;
  readonly decidedAt: string | number | null;
  readonly createdAt: string | number | null;
  readonly environments: readonly Environment[];
  /** Environments whose registration waits for an administrator, when the API says (else the server settings). */
  readonly approvalEnvironments: readonly string[] | null;
}

function grantsOf(raw: Raw): Grant[] {
  return list(raw, 'grants', 'services').map((g) => ({
    service: str(g, 'service', 'key'),
    scopes: (get(g, 'scopes') as string[] | undefined) ?? [],
  }));
}

export function toEnvironment(raw: Raw): Environment {
  const client = (get(raw, 'client', 'credential') as Raw | undefined) ?? raw;
  const clientId = str(client, 'client_id', 'clientId');
  const status = str(raw, 'status') as Status | 'registered' | '';
  return {
    env: str(raw, 'env', 'environment', 'key'),
    status: status === 'pending' || status === 'rejected' ? status : status === 'approved' || status === 'registered' || clientId ? 'approved' : 'pending',
    reason: str(raw, 'reason', 'decision_reason', 'decisionReason'),
    name: str(raw, 'name'),
    description: str(raw, 'description'),
    requester: requesterOf(raw),
    requestedAt: time(raw, 'requested_at', 'requestedAt'),
    decidedAt: time(raw, 'decided_at', 'decidedAt'),
    clientId,
    tokenEndpoint: str(client, 'token_endpoint', 'tokenEndpoint'),
    grants: grantsOf(client).length > 0 ? grantsOf(client) : grantsOf(raw),
    createdAt: time(client, 'created_at', 'createdAt', 'registered_at'),
    rotatedAt: time(client, 'rotated_at', 'rotatedAt'),
    lastUsedAt: time(client, 'last_used_at', 'lastUsedAt'),
    needsApproval: typeof raw.needs_approval === 'boolean' ? raw.needs_approval : null,
  };
}

/** Environments the application has not asked for yet are listed as `unregistered`: they are not registrations. */
function registered(raw: Raw): boolean {
  return str(raw, 'status') !== 'unregistered';
}

export function toApplication(raw: Raw): Application {
  const envs = get(raw, 'environments');
  const environments = Array.isArray(envs)
    ? (envs as Raw[]).filter(registered).map(toEnvironment)
    : envs && typeof envs === 'object'
      ? Object.entries(envs as Record<string, Raw>).map(([env, value]) => ({ env, ...value })).filter(registered).map(toEnvironment)
      : [];
  const needsApproval = Array.isArray(envs) ? (envs as Raw[]).filter((e) => e.needs_approval === true).map((e) => str(e, 'env')) : null;
  return {
    acronym: str(raw, 'acronym'),
    name: str(raw, 'name', 'full_name'),
    description: str(raw, 'description'),
    status: (str(raw, 'status') || 'pending') as Status,
    reason: str(raw, 'reason', 'decision_reason', 'decisionReason'),
    requestedBy: str(raw, 'requested_by', 'requestedBy'),
    requester: requesterOf(raw),
    requestedAt: time(raw, 'requested_at', 'requestedAt', 'created_at', 'createdAt'),
    decidedAt: time(raw, 'decided_at', 'decidedAt'),
    createdAt: time(raw, 'created_at', 'createdAt'),
    environments,
    approvalEnvironments: needsApproval,
  };
}

export interface Scope {
  readonly name: string;
  readonly description: string;
}

export interface Service {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly scopes: readonly Scope[];
  readonly baseUrls: Readonly<Record<string, string>>;
}

export function toService(raw: Raw): Service {
  return {
    key: str(raw, 'key'),
    name: str(raw, 'name') || str(raw, 'key'),
    description: str(raw, 'description'),
    scopes: list(raw, 'scopes').map((s) => (typeof s === 'string' ? { name: s, description: '' } : { name: str(s, 'name'), description: str(s, 'description') })),
    baseUrls: ((get(raw, 'base_urls', 'baseUrls') as Record<string, string> | undefined) ?? {}),
  };
}

/** What a registration or a regeneration answers, shown once. */
export interface IssuedSecret {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tokenEndpoint: string;
}

export function toIssuedSecret(raw: Raw): IssuedSecret {
  const client = (get(raw, 'client', 'credential') as Raw | undefined) ?? raw;
  return {
    clientId: str(raw, 'client_id', 'clientId') || str(client, 'client_id', 'clientId'),
    clientSecret: str(raw, 'client_secret', 'clientSecret', 'secret') || str(client, 'client_secret', 'clientSecret'),
    tokenEndpoint: str(raw, 'token_endpoint', 'tokenEndpoint') || str(client, 'token_endpoint', 'tokenEndpoint'),
  };
}
