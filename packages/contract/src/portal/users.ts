import { Type, type Static } from 'typebox';

/** admin: administers the portal; token_admin: manages everyone's personal access tokens; pat: may create them. */
export const ROLES = ['admin', 'token_admin', 'pat'] as const;
export type Role = (typeof ROLES)[number];

export const UserJson = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  roles: Type.Array(Type.Union([Type.Literal('admin'), Type.Literal('token_admin'), Type.Literal('pat')]), { description: `any of ${ROLES.join(', ')}` }),
  created_at: Type.String({ format: 'date-time' }),
}, { title: 'User' });
export type UserJson = Static<typeof UserJson>;

export const SessionJson = Type.Object({
  user: UserJson,
  via: Type.Union([Type.Literal('session'), Type.Literal('token')], { description: 'how this request authenticated' }),
  scopes: Type.Union([Type.Array(Type.String()), Type.Null()], { description: "a token's scopes; null for a session" }),
}, { title: 'Session' });
export type SessionJson = Static<typeof SessionJson>;

export const LogInBody = Type.Object({
  email: Type.String({ minLength: 1, maxLength: 320 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
});
export type LogInBody = Static<typeof LogInBody>;

export const SignUpBody = Type.Object({
  email: Type.String({ minLength: 3, maxLength: 320, description: 'your email address; it is also your log-in' }),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  password: Type.String({ minLength: 1, maxLength: 1024, description: 'at least 12 characters, not a common password' }),
});
export type SignUpBody = Static<typeof SignUpBody>;

export const SignUpAcceptedJson = Type.Object({
  email: Type.String(),
  detail: Type.String(),
});

export const AdminUserJson = Type.Object({ ...UserJson.properties, disabled_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]) }, { title: 'AdminUser' });
export type AdminUserJson = Static<typeof AdminUserJson>;

export const UserIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export const RoleName = Type.Union(ROLES.map((r) => Type.Literal(r)));

export const SetRolesBody = Type.Object({ roles: Type.Array(Type.String({ maxLength: 32 }), { maxItems: 10, description: `any of ${ROLES.join(', ')}` }) });
export type SetRolesBody = Static<typeof SetRolesBody>;
