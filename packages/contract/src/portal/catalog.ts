import { Type, type Static } from 'typebox';

const UrlPerEnvironment = (description: string) =>
  Type.Record(Type.String({ pattern: '^[a-z][a-z0-9-]{0,15}$' }), Type.String({ minLength: 1, maxLength: 2048 }), { description });

const ScopeJson = Type.Object({ name: Type.String({ minLength: 1, maxLength: 128 }), description: Type.String({ maxLength: 500 }) });
const ScopeInput = Type.Object({ name: Type.String({ minLength: 1, maxLength: 128 }), description: Type.Optional(Type.String({ maxLength: 500 })) });

export const ServiceJson = Type.Object({
  key: Type.String(),
  name: Type.String(),
  description: Type.String(),
  scopes: Type.Array(ScopeJson),
  base_urls: UrlPerEnvironment('where the service answers, per environment'),
  audiences: UrlPerEnvironment("the service's own audience URI per environment (default urn:latchkey:service:<key>:<env>)"),
  retired_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
}, { title: 'Service' });
export type ServiceJson = Static<typeof ServiceJson>;

/** The fields an administrator writes, shared by creating and editing a service. */
export const ServiceFields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  description: Type.String({ maxLength: 2000 }),
  scopes: Type.Array(ScopeInput, { maxItems: 100 }),
  base_urls: UrlPerEnvironment('where the service answers, per environment: Postman collections call it there'),
  audiences: UrlPerEnvironment('only when the service must see its own URI in `aud`'),
};

export const ServiceKeyParams = Type.Object({ key: Type.String({ minLength: 1, maxLength: 40 }) });

export const CreateServiceBody = Type.Object({
  key: Type.String({ minLength: 1, maxLength: 40, description: '2-40 lower-case letters, digits or "-", starting with a letter' }),
  name: ServiceFields.name,
  description: Type.Optional(ServiceFields.description),
  scopes: ServiceFields.scopes,
  base_urls: Type.Optional(ServiceFields.base_urls),
  audiences: Type.Optional(ServiceFields.audiences),
});
export type CreateServiceBody = Static<typeof CreateServiceBody>;

export const UpdateServiceBody = Type.Object({
  name: Type.Optional(ServiceFields.name),
  description: Type.Optional(ServiceFields.description),
  scopes: Type.Optional(ServiceFields.scopes),
  base_urls: Type.Optional(ServiceFields.base_urls),
  audiences: Type.Optional(ServiceFields.audiences),
});
export type UpdateServiceBody = Static<typeof UpdateServiceBody>;
