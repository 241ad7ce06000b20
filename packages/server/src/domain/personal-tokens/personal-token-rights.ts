import type { Service } from '../catalog/service.js';
import type { Storage } from '../storage.js';
import type { User } from '../users/user.js';

/** One service in one environment, as a user holds it through the clients of their applications. */
export interface HeldService {
  readonly service: Service;
  readonly env: string;
  /** The union of those clients' grants for the service, less the scopes it no longer defines. */
  readonly scopes: ReadonlySet<string>;
  /** Acronyms of the applications it comes through (to tell the user where a scope comes from). */
  readonly applications: readonly string[];
}

/**
 * What a user may put in a personal access token right now (docs/personal-tokens.md, "What a token may
 * carry"): the portal scopes while they hold `pat` and are enabled, and a service's scopes only where an
 * application they are a member of has an enabled client granted them, environment by environment.
 * `admin` and `token_admin` add nothing: a role is checked on each portal request, it is not a scope.
 */
export interface PersonalTokenRights {
  readonly portal: boolean;
  /** The active services of the catalog: what a scope name can mean at all. */
  readonly catalog: readonly Service[];
  /** In configured environment order. */
  readonly held: readonly HeldService[];
}

export interface PersonalTokenRightsDeps {
  readonly storage: Pick<Storage, 'clients' | 'services'>;
  /** LATCHKEY_ENVIRONMENTS, first to last: the order audiences are listed in. */
  readonly environments: readonly string[];
}

/**
 * Read from storage on every call (two queries, no cache): leaving a team, a client disabled, a scope
 * dropped from a service or a role removed counts on the very next check, in every instance.
 */
export async function loadPersonalTokenRights(deps: PersonalTokenRightsDeps, user: User): Promise<PersonalTokenRights> {
  const portal = user.disabledAt === null && user.roles.includes('pat');
  const [services, clients] = await Promise.all([deps.storage.services.list(), portal ? deps.storage.clients.list({ memberId: user.id }) : []]);
  const catalog = services.filter((s) => s.retiredAt === null);
  const byKey = new Map(catalog.map((s) => [s.key, s]));
  const held = new Map<string, { service: Service; env: string; scopes: Set<string>; applications: string[] }>();
  for (const client of clients) {
    // A disabled client gets no tokens of its own; its grants give none through a person either.
    if (!client.enabled) continue;
    for (const grant of client.grants) {
      const service = byKey.get(grant.service);
      if (!service) continue;
      const defined = new Set(service.scopes.map((s) => s.name));
      const key = `${service.key}\u0000${client.env}`;
      const entry = held.get(key) ?? { service, env: client.env, scopes: new Set<string>(), applications: [] };
      for (const scope of grant.scopes) if (defined.has(scope)) entry.scopes.add(scope);
      if (!entry.applications.includes(client.acronym)) entry.applications.push(client.acronym);
      held.set(key, entry);
    }
  }
  const order = (env: string): number => {
    const i = deps.environments.indexOf(env);
    return i < 0 ? deps.environments.length : i;
  };
  const sorted = [...held.values()].filter((h) => h.scopes.size > 0).sort((a, b) => order(a.env) - order(b.env) || a.service.key.localeCompare(b.service.key));
  return { portal, catalog, held: sorted };
}
