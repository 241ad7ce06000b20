import type { Role, User } from './user.js';

/**
 * The portal scope a personal access token needs to change anything; without it a token may only read.
 * Sessions (a person at a browser) are not scoped: their roles decide.
 */
export const PORTAL_WRITE_SCOPE = 'portal:write';

/**
 * Who is calling the portal API, worked out afresh on every request: the user is read from storage each
 * time, so a role change or a disabled account holds on the very next request, in every instance.
 */
export interface Principal {
  readonly user: User;
  /** `session`: the session cookie; `token`: `Authorization: Bearer` (a personal access token). */
  readonly via: 'session' | 'token';
  /** The session id or the token's id (`jti`): what an administrator ends or revokes. */
  readonly credentialId: string;
  /** The token's scopes; `null` for a session (the user's roles alone decide). */
  readonly scopes: readonly string[] | null;
}

export function hasRole(principal: Principal, role: Role): boolean {
  return principal.user.roles.includes(role);
}

/** Whether the principal may change state (a token needs the portal write scope; a session always may). */
export function mayWrite(principal: Principal): boolean {
  return principal.scopes === null || principal.scopes.includes(PORTAL_WRITE_SCOPE);
}
