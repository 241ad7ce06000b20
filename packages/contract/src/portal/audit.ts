import { Type, type Static } from 'typebox';

export const AuditEventJson = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actor: Type.String({ description: '`user:<id>`, `anonymous`, `cli`, `config` or `system`' }),
  action: Type.String({ description: 'such as `session.started`, `user.login_failed`, `service.updated`' }),
  target: Type.String({ description: 'such as `user:<id>`, `service:<key>`, `application:<ACRONYM>`, `client:<client_id>`' }),
  address: Type.Union([Type.String(), Type.Null()], { description: 'where the request came from' }),
  details: Type.Object({}, { additionalProperties: true }),
}, { title: 'AuditEvent' });
export type AuditEventJson = Static<typeof AuditEventJson>;

export const LockoutJson = Type.Object({
  scope: Type.Union([Type.Literal('pair'), Type.Literal('address')], { description: 'pair: one account from one address; address: every account from one address' }),
  account: Type.Union([Type.String(), Type.Null()], { description: 'the email tried (whether or not such a user exists); null for an address lock-out' }),
  address: Type.String(),
  failures: Type.Integer(),
  locked_at: Type.String({ format: 'date-time' }),
  locked_until: Type.String({ format: 'date-time' }),
}, { title: 'Lockout' });
export type LockoutJson = Static<typeof LockoutJson>;
