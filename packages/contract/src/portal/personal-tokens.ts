import { Type, type Static } from 'typebox';
import { DateTimeOrNull } from './date-time.js';
import { PageQuery } from './pagination.js';

/** A personal token record as the API shows it: never the token itself. */
export const PersonalTokenJson = Type.Object({
  id: Type.String(),
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  expires_at: Type.String({ format: 'date-time' }),
  created_at: Type.String({ format: 'date-time' }),
  generated_at: DateTimeOrNull('when the current token was generated; null before the first generate'),
  last_used_at: DateTimeOrNull('last use seen (portal API or introspection), written in batches: up to a few seconds behind'),
  last_used_from: Type.Union([Type.String(), Type.Null()], { description: 'address of the last portal API use; null when unknown' }),
  revoked_at: DateTimeOrNull('when a token administrator revoked it'),
  status: Type.Union([Type.Literal('not_generated'), Type.Literal('active'), Type.Literal('expired'), Type.Literal('revoked')]),
  user: Type.Object({ id: Type.String(), email: Type.Union([Type.String(), Type.Null()]) }),
}, { title: 'PersonalToken' });
export type PersonalTokenJson = Static<typeof PersonalTokenJson>;

export const TokenIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export const CreatePersonalTokenBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100, description: 'unique among your tokens' }),
  expires_at: Type.String({ minLength: 1, maxLength: 40, description: 'ISO 8601 date or date-time; required; in the future, at most LATCHKEY_PAT_MAX_DAYS (366) days ahead' }),
  scopes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: 200, description: 'from GET /api/v1/me/tokens/scopes (only what you may hold); left out: the read scopes you hold' })),
  replaces: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'id of one of your tokens to delete in the same step (the replacement link of an expiry notice)' })),
});
export type CreatePersonalTokenBody = Static<typeof CreatePersonalTokenBody>;

const TokenScopeJson = Type.Object({
  name: Type.String(),
  description: Type.String(),
  service: Type.Union([Type.String(), Type.Null()], { description: 'the service defining it; null for a portal scope' }),
  environments: Type.Array(Type.String(), { description: 'where you hold it (a token names the service only there); empty for a portal scope' }),
  applications: Type.Array(Type.String(), { description: 'acronyms of your applications it comes through' }),
  default: Type.Boolean({ description: 'part of what a token created without scopes gets' }),
});
export type TokenScopeJson = Static<typeof TokenScopeJson>;

export const PersonalTokenScopesJson = Type.Object({
  items: Type.Array(TokenScopeJson),
  next_cursor: Type.Null(),
  service_scopes: Type.Union([Type.Literal('available'), Type.Literal('not_a_member'), Type.Literal('no_credentials')], {
    description: 'available: some service scope is offered; not_a_member: you belong to no application; no_credentials: your applications have no enabled client granted a service',
  }),
}, { title: 'PersonalTokenScopes' });
export type PersonalTokenScopesJson = Static<typeof PersonalTokenScopesJson>;

export const GeneratedPersonalTokenJson = Type.Object({ token: Type.String(), token_type: Type.Literal('Bearer'), expires_at: Type.String({ format: 'date-time' }), record: PersonalTokenJson });
export type GeneratedPersonalTokenJson = Static<typeof GeneratedPersonalTokenJson>;

export const AdminTokenQuery = Type.Object({
  ...PageQuery.properties,
  user_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "only this user's tokens" })),
  email: Type.Optional(Type.String({ minLength: 1, maxLength: 320, description: 'only the tokens of the user with this email' })),
  expires_before: Type.Optional(Type.String({ format: 'date-time', description: 'only tokens expiring before this time' })),
  last_used_before: Type.Optional(Type.String({ format: 'date-time', description: 'only tokens last used before this time, or never' })),
});

export const PersonalTokenAuditEventJson = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actor: Type.String(),
  address: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  target: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
}, { title: 'PersonalTokenAuditEvent' });
