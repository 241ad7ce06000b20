import type { Storage } from '../storage.js';
import { actingUser, requireRole, type Actor } from '../actor.js';
import { loadPersonalTokenRights, type PersonalTokenRightsDeps } from './personal-token-rights.js';
import { chooseScopes, scopeChoices, type ScopeChoice } from './personal-token-scopes.js';

/**
 * Whether the user may choose any service scope, and if not, why: a member of no application, or a
 * member of applications with no enabled client granted an active service's scope.
 */
export type ServiceScopesState = 'available' | 'not_a_member' | 'no_credentials';

export interface TokenScopeChoice extends ScopeChoice {
  /** Part of what a record created without `scopes` gets. */
  readonly default: boolean;
}

export interface TokenScopeList {
  readonly items: readonly TokenScopeChoice[];
  readonly serviceScopes: ServiceScopesState;
}

/** The scopes the caller may put in a personal access token now (what the form offers), and the defaults. */
export async function listTokenScopes(
  deps: PersonalTokenRightsDeps & { readonly issuer: string; readonly storage: Pick<Storage, 'clients' | 'services' | 'applications'> },
  input: { readonly actor: Actor },
): Promise<TokenScopeList> {
  const user = actingUser(input.actor, 'choosing the scopes of a personal access token');
  requireRole(input.actor, 'pat', 'choosing the scopes of a personal access token');
  const rights = await loadPersonalTokenRights(deps, user);
  const choices = scopeChoices(rights);
  const defaults = new Set(chooseScopes(deps.issuer, rights, undefined).scopes);
  let serviceScopes: ServiceScopesState = 'available';
  if (!choices.some((c) => c.service !== null)) {
    const memberships = await deps.storage.applications.page({ limit: 1, memberId: user.id });
    serviceScopes = memberships.length === 0 ? 'not_a_member' : 'no_credentials';
  }
  return { items: choices.map((c) => ({ ...c, default: defaults.has(c.name) })), serviceScopes };
}
