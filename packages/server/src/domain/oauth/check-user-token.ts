import type { Storage } from '../storage.js';

/** Whether verified claims are those of a user's token (password grant, token-api): they carry `roles`. */
export function isUserTokenClaims(claims: Readonly<Record<string, unknown>>): boolean {
  return Array.isArray(claims.roles) && typeof claims.sub === 'string';
}

/**
 * A user's token as introspection should report it: null when its user no longer exists or is disabled,
 * else the claims with the user's roles as they are now (a role change holds at once, not when the token
 * expires). Read through on every call, so every instance agrees.
 */
export async function currentUserTokenClaims(
  deps: { readonly storage: Pick<Storage, 'users'> },
  claims: Readonly<Record<string, unknown>>,
): Promise<Readonly<Record<string, unknown>> | null> {
  const user = await deps.storage.users.get(claims.sub as string);
  if (!user || user.disabledAt !== null) return null;
  return { ...claims, roles: [...user.roles] };
}
