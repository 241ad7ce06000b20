import type { Service } from '../catalog/service.js';
import { serviceAudience } from '../catalog/service.js';
import type { FieldIssue } from '../errors.js';
import { isReadScope, PORTAL_SCOPES } from './personal-token.js';

export interface ScopeChoice {
  readonly name: string;
  readonly description: string;
  /** The service defining it, or null for the portal's own scopes. */
  readonly service: string | null;
}

/** The scopes a personal token may carry: every scope of every active service, and the portal's. */
export function scopeCatalog(services: readonly Service[]): ScopeChoice[] {
  const choices: ScopeChoice[] = PORTAL_SCOPES.map((s) => ({ name: s.name, description: s.description, service: null }));
  for (const service of services) {
    if (service.retiredAt !== null) continue;
    for (const scope of service.scopes) {
      if (!choices.some((c) => c.name === scope.name)) choices.push({ name: scope.name, description: scope.description, service: service.key });
    }
  }
  return choices;
}

/**
 * The scopes of a new record: those asked for, each one from the catalog; none asked for: the catalog's
 * read scopes only (see isReadScope), never everything.
 */
export function chooseScopes(catalog: readonly ScopeChoice[], requested: readonly string[] | undefined): { scopes: string[]; issues: FieldIssue[] } {
  if (requested === undefined) return { scopes: catalog.filter((c) => isReadScope(c.name)).map((c) => c.name), issues: [] };
  const issues: FieldIssue[] = [];
  requested.forEach((name, i) => {
    if (!catalog.some((c) => c.name === name)) {
      issues.push({ field: `scopes[${i}]`, message: `unknown scope "${name}"; choose from the service catalog (GET /api/v1/services) or ${PORTAL_SCOPES.map((s) => s.name).join(', ')}` });
    } else if (requested.indexOf(name) !== i) {
      issues.push({ field: `scopes[${i}]`, message: `scope "${name}" is listed twice` });
    }
  });
  if (requested.length === 0) issues.push({ field: 'scopes', message: 'choose at least one scope, or leave scopes out for the read scopes' });
  return { scopes: [...requested], issues };
}

/**
 * RFC 9068 `aud` of a personal token: a person is not bound to one environment, so the token names the
 * audience of every service its scopes belong to in every environment, and the issuer (the portal API)
 * when it carries a portal scope or no service scope.
 */
export function personalTokenAudience(issuer: string, services: readonly Service[], environments: readonly string[], scopes: readonly string[]): string[] {
  const audiences = services
    .filter((s) => s.retiredAt === null && s.scopes.some((scope) => scopes.includes(scope.name)))
    .flatMap((s) => environments.map((env) => serviceAudience(s, env)));
  if (audiences.length === 0 || scopes.some((s) => PORTAL_SCOPES.some((p) => p.name === s))) audiences.unshift(issuer);
  return [...new Set(audiences)];
}
