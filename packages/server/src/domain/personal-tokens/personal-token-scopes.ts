import { serviceAudience } from '../catalog/service.js';
import type { FieldIssue } from '../errors.js';
import { isReadScope, PORTAL_SCOPES } from './personal-token.js';
import type { HeldService, PersonalTokenRights } from './personal-token-rights.js';

export interface ScopeChoice {
  readonly name: string;
  readonly description: string;
  /** The service defining it, or null for the portal's own scopes. */
  readonly service: string | null;
  /** Where the user holds it, in configured order; empty for a portal scope (not bound to an environment). */
  readonly environments: readonly string[];
  /** Acronyms of the applications it comes through; empty for a portal scope. */
  readonly applications: readonly string[];
}

/** What a set of scopes comes to for one user: the token's `aud`, or why the user may not hold them. */
export interface ScopeCoverage {
  readonly scopes: string[];
  readonly audiences: string[];
  readonly issues: FieldIssue[];
}

// A portal scope name always means the portal's, even if a service defines the same name.
function isPortalScope(name: string): boolean {
  return PORTAL_SCOPES.some((p) => p.name === name);
}

function envsOf(held: readonly HeldService[]): string {
  return held.map((h) => h.env).join(', ');
}

/**
 * The scopes the user may choose, one entry per service and scope, with the environments and
 * applications it is held through; the portal's first (with `pat`).
 */
export function scopeChoices(rights: PersonalTokenRights): ScopeChoice[] {
  const portal: ScopeChoice[] = rights.portal ? PORTAL_SCOPES.map((s) => ({ name: s.name, description: s.description, service: null, environments: [], applications: [] })) : [];
  const services = new Map<string, { name: string; description: string; service: string; environments: string[]; applications: string[]; rank: number }>();
  for (const held of rights.held) {
    held.service.scopes.forEach((scope, rank) => {
      if (!held.scopes.has(scope.name) || isPortalScope(scope.name)) return;
      const key = `${held.service.key}\u0000${scope.name}`;
      const entry = services.get(key) ?? { name: scope.name, description: scope.description, service: held.service.key, environments: [], applications: [], rank };
      entry.environments.push(held.env);
      for (const acronym of held.applications) if (!entry.applications.includes(acronym)) entry.applications.push(acronym);
      services.set(key, entry);
    });
  }
  const sorted = [...services.values()].sort((a, b) => a.service.localeCompare(b.service) || a.rank - b.rank);
  return [...portal, ...sorted.map(({ rank: _rank, ...choice }) => choice)];
}

/**
 * Whether the user may hold `scopes` together, and the RFC 9068 `aud` a token carrying them gets. A
 * service scope must be held through one of the user's applications (HeldService). A service appears in
 * `aud` only in the environments where the user holds *every* scope of the token that the service
 * defines, so a scope held only in DEV never rides along to PROD with one held in both (and a name two
 * services define counts for both). The issuer (the portal API) is in `aud` when a portal scope is, or no
 * service scope is. Each refused scope is an issue on `scopes[i]` saying why.
 */
export function coverScopes(issuer: string, rights: PersonalTokenRights, scopes: readonly string[]): ScopeCoverage {
  const issues: FieldIssue[] = [];
  const held: { name: string; field: string }[] = [];
  scopes.forEach((name, i) => {
    const field = `scopes[${i}]`;
    if (scopes.indexOf(name) !== i) {
      issues.push({ field, message: `scope "${name}" is listed twice` });
    } else if (isPortalScope(name)) {
      if (!rights.portal) issues.push({ field, message: `${name} needs the pat role, which you do not have; ask a system administrator to grant it` });
    } else if (!rights.catalog.some((s) => s.scopes.some((scope) => scope.name === name))) {
      issues.push({ field, message: `unknown scope "${name}"; GET /api/v1/me/tokens/scopes lists the scopes you may choose` });
    } else if (!rights.held.some((h) => h.scopes.has(name))) {
      issues.push({
        field,
        message: `you are not a member of an application with ${name} in any environment: a personal token carries a service scope only where an application you belong to has a client granted it`,
      });
    } else {
      held.push({ name, field });
    }
  });
  if (scopes.length === 0) issues.push({ field: 'scopes', message: 'choose at least one scope, or leave scopes out for the read scopes' });
  const audiences: string[] = [];
  for (const service of rights.catalog) {
    const defined = new Set(service.scopes.map((s) => s.name));
    const mine = held.filter((h) => defined.has(h.name));
    const where = rights.held.filter((h) => h.service.key === service.key);
    const anchor = mine.find((m) => where.some((h) => h.scopes.has(m.name)));
    // None of the token's scopes is held for this service: the token does not name it.
    if (!anchor) continue;
    let envs = where.filter((h) => h.scopes.has(anchor.name));
    const together = [anchor.name];
    for (const m of mine) {
      if (m === anchor) continue;
      const narrowed = envs.filter((h) => h.scopes.has(m.name));
      if (narrowed.length > 0) {
        envs = narrowed;
        together.push(m.name);
        continue;
      }
      const elsewhere = where.filter((h) => h.scopes.has(m.name));
      issues.push({
        field: m.field,
        message:
          elsewhere.length === 0
            ? `${service.key} also defines ${m.name}, which you hold for ${service.key} in no environment, and this token names ${service.key} for ${together.join(', ')}: leave ${m.name} out or make a separate token`
            : `${service.key}: you hold ${m.name} in ${envsOf(elsewhere)} but ${together.join(', ')} in ${envsOf(envs)}; a token's scopes of one service must all be held in one environment: make one token per environment`,
      });
    }
    audiences.push(...envs.map((h) => serviceAudience(h.service, h.env)));
  }
  if (audiences.length === 0 || scopes.some(isPortalScope)) audiences.unshift(issuer);
  return { scopes: [...scopes], audiences: [...new Set(audiences)], issues: issues.sort((a, b) => fieldOrder(a.field) - fieldOrder(b.field)) };
}

// Issues in the order of the fields they name (`scopes` itself last), however they were found.
function fieldOrder(field: string): number {
  const index = /^scopes\[(\d+)\]$/.exec(field)?.[1];
  return index === undefined ? Number.MAX_SAFE_INTEGER : Number(index);
}

/**
 * The scopes of a new record: those asked for, if the user may hold them together; none asked for: the
 * read scopes (see isReadScope) the user may hold, never everything.
 */
export function chooseScopes(issuer: string, rights: PersonalTokenRights, requested: readonly string[] | undefined): ScopeCoverage {
  if (requested !== undefined) return coverScopes(issuer, rights, requested);
  let chosen = coverScopes(issuer, rights, []);
  for (const name of new Set(scopeChoices(rights).map((c) => c.name).filter(isReadScope))) {
    // A default the user holds, but not together with the others (another environment), is left out.
    const next = coverScopes(issuer, rights, [...chosen.scopes, name]);
    if (next.issues.length === 0) chosen = next;
  }
  return chosen;
}
