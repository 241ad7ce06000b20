import type { Clock } from '../clock.js';
import type { Random } from '../random.js';
import type { Storage } from '../storage.js';
import { auditActor, type Actor } from '../actor.js';
import type { ServerKeyring } from '../secrets/server-key.js';
import { DomainError, type FieldIssue } from '../errors.js';
import { generateSecret } from '../secrets/generated-secret.js';
import { throwIfInvalid } from '../validation.js';
import { normaliseAcronym, type Application } from '../applications/application.js';
import { CLIENT_TOKEN_TTL, type Client, type ClientGrant } from './client.js';

export interface CreateClientInput {
  readonly actor: Actor;
  readonly acronym: string;
  readonly env: string;
  /** Services and, optionally, a subset of their scopes (omitted or empty: all the service defines). */
  readonly services: readonly { readonly key: string; readonly scopes?: readonly string[] }[];
  readonly tokenTtl?: number;
}

export interface CreateClientDeps {
  readonly storage: Pick<Storage, 'applications' | 'services' | 'transaction'>;
  readonly clock: Clock;
  readonly random: Random;
  readonly serverKeys: ServerKeyring;
  readonly environments: readonly string[];
}

/** What a new client needs beside its application: the server key hashes its secret, randomness makes it. */
export type NewClientDeps = Pick<CreateClientDeps, 'serverKeys' | 'random'>;

export interface CreatedClient {
  readonly client: Client;
  /** Shown this once; only its hash is stored. */
  readonly clientSecret: string;
}

/** An operator creates an approved application's client in an environment; its secret is returned this once. */
export async function createClient(deps: CreateClientDeps, input: CreateClientInput): Promise<CreatedClient> {
  const acronym = normaliseAcronym(input.acronym);
  const issues: FieldIssue[] = [];
  if (!deps.environments.includes(input.env)) {
    issues.push({ field: 'env', message: `unknown environment "${input.env}"; use one of ${deps.environments.join(', ')}` });
  }
  const ttl = input.tokenTtl ?? CLIENT_TOKEN_TTL.default;
  if (!Number.isInteger(ttl) || ttl < CLIENT_TOKEN_TTL.min || ttl > CLIENT_TOKEN_TTL.max) {
    issues.push({ field: 'token_ttl', message: `a token lifetime is a whole number of seconds from ${CLIENT_TOKEN_TTL.min} to ${CLIENT_TOKEN_TTL.max}` });
  }
  if (input.services.length === 0) issues.push({ field: 'services', message: 'grant at least one service' });
  throwIfInvalid(issues);

  const application = await deps.storage.applications.getByAcronym(acronym);
  if (!application) throw new DomainError('not_found', `no application with acronym ${acronym}`);
  if (application.status !== 'approved') {
    throw new DomainError('conflict', `application ${acronym} is ${application.status}; it needs an administrator's approval first`);
  }
  const grants = await resolveGrants(deps.storage, input.services);

  const now = deps.clock.now();
  const { client, clientSecret } = newClient(deps, { application, env: input.env, grants, tokenTtl: ttl, now });
  await deps.storage.transaction(async (tx) => {
    await tx.clients.create(client);
    await tx.audit.append({
      at: now,
      ...auditActor(input.actor),
      action: 'client.created',
      target: `client:${client.clientId}`,
      details: { application: acronym, env: input.env, grants },
    });
  });
  return { client, clientSecret };
}

/** A new client record with one fresh secret (returned in clear this once), not yet stored. */
export function newClient(
  deps: NewClientDeps,
  input: { readonly application: Application; readonly env: string; readonly grants: readonly ClientGrant[]; readonly tokenTtl?: number; readonly now: number },
): CreatedClient {
  const { application, now } = input;
  const clientSecret = generateSecret(deps.random, 'clientSecret');
  const client: Client = {
    clientId: `${application.acronym.toLowerCase()}-${input.env}-${deps.random.bytes(6).toString('hex')}`,
    applicationId: application.id,
    acronym: application.acronym,
    env: input.env,
    enabled: true,
    tokenTtl: input.tokenTtl ?? CLIENT_TOKEN_TTL.default,
    grants: input.grants,
    secrets: [{ id: deps.random.uuid(), hash: deps.serverKeys.hash(clientSecret), createdAt: now, expiresAt: null, lastUsedAt: null }],
    createdAt: now,
    updatedAt: now,
    rotatedAt: null,
    lastUsedAt: null,
  };
  return { client, clientSecret };
}

/** The grants a list of services (and optional scope subsets) names; unknown ones: `bad_request` naming them. */
export async function resolveGrants(storage: Pick<Storage, 'services'>, requested: CreateClientInput['services']): Promise<ClientGrant[]> {
  const issues: FieldIssue[] = [];
  const grants: ClientGrant[] = [];
  const seen = new Set<string>();
  for (const [i, entry] of requested.entries()) {
    const field = `services[${i}]`;
    const service = await storage.services.get(entry.key);
    if (!service || service.retiredAt !== null) {
      issues.push({ field, message: `no service "${entry.key}" in the catalog` });
      continue;
    }
    if (seen.has(service.key)) {
      issues.push({ field, message: `service "${service.key}" is listed twice` });
      continue;
    }
    seen.add(service.key);
    const defined = service.scopes.map((s) => s.name);
    const wanted = entry.scopes && entry.scopes.length > 0 ? [...new Set(entry.scopes)] : defined;
    const unknown = wanted.filter((s) => !defined.includes(s));
    if (unknown.length > 0) {
      issues.push({ field: `${field}.scopes`, message: `service "${service.key}" defines no scope ${unknown.join(', ')}; it defines: ${defined.join(', ') || '(none)'}` });
      continue;
    }
    grants.push({ service: service.key, scopes: wanted });
  }
  throwIfInvalid(issues);
  return grants;
}
