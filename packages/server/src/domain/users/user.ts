export const ROLES = ['admin', 'token_admin', 'pat'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export interface User {
  readonly id: string;
  /** Lower-cased; unique. */
  readonly email: string;
  readonly name: string;
  /** argon2id PHC string. */
  readonly passwordHash: string;
  readonly roles: readonly Role[];
  readonly createdAt: number;
  readonly disabledAt: number | null;
}

export interface UserStore {
  /** Inserts; the email is taken already: DomainError `conflict`. */
  create(user: User): Promise<void>;
  get(id: string): Promise<User | null>;
  getByEmail(email: string): Promise<User | null>;
  /** Users holding the role and not disabled. */
  countWithRole(role: Role): Promise<number>;
  /** Replaces the user's roles; false when no such user. */
  setRoles(id: string, roles: readonly Role[]): Promise<boolean>;
  /** Disables (`at`) or re-enables (null) the user; false when no such user. */
  setDisabled(id: string, at: number | null): Promise<boolean>;
  /** Ordered by email; `after` continues past that email; `role` keeps only holders of it. */
  list(options: { readonly limit: number; readonly after?: string; readonly role?: Role }): Promise<User[]>;
  /** Users holding the role and not disabled, by email (administrators to notify, for example). */
  listWithRole(role: Role): Promise<User[]>;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

// Deliberately loose: one "@", something either side, no spaces. The invitation mail is the real check.
export const EMAIL = /^[^\s@]+@[^\s@]+$/;
/** Longest email accepted (RFC 5321's path limits, rounded as usual). */
export const MAX_EMAIL_LENGTH = 320;
