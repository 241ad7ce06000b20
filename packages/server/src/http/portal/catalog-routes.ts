import { Type } from 'typebox';
import { CreateServiceBody, Page, PageQuery, ServiceJson, ServiceKeyParams as KeyParams, UpdateServiceBody } from '@latchkey/contract';
import type { Service } from '../../domain/catalog/service.js';
import { actorOf, requireRole, requireUser } from './authentication.js';
import { pageOfSorted } from './pagination.js';
import type { PortalRoutes } from './portal-routes.js';
import { problems } from './problem.js';

export function toServiceJson(service: Service): ServiceJson {
  return {
    key: service.key,
    name: service.name,
    description: service.description,
    scopes: service.scopes.map((s) => ({ name: s.name, description: s.description })),
    base_urls: { ...service.baseUrls },
    audiences: { ...service.audiences },
    retired_at: service.retiredAt === null ? null : new Date(service.retiredAt).toISOString(),
    created_at: new Date(service.createdAt).toISOString(),
    updated_at: new Date(service.updatedAt).toISOString(),
  };
}

const scopesOf = (scopes: readonly { name: string; description?: string | undefined }[] | undefined) =>
  scopes?.map((s) => ({ name: s.name, description: s.description ?? '' }));

/** The catalog: every user reads it; administrators create, edit and retire services. */
export const registerCatalogRoutes: PortalRoutes = (app, deps) => {
  app.get(
    '/services',
    {
      onRequest: requireUser,
      schema: {
        operationId: 'listServices',
        tags: ['catalog'],
        summary: 'List services (retired ones only with ?retired=true)',
        querystring: Type.Object({ ...PageQuery.properties, retired: Type.Optional(Type.Boolean({ description: 'include retired services' })) }),
        response: { 200: Page(ServiceJson), ...problems(400, 401) },
      },
    },
    async (request) => {
      const services = await deps.useCases.listServices({ includeRetired: request.query.retired === true });
      return pageOfSorted(services, request.query, (s) => s.key, toServiceJson);
    },
  );

  app.get(
    '/services/:key',
    { onRequest: requireUser, schema: { operationId: 'getService', tags: ['catalog'], summary: 'One service', params: KeyParams, response: { 200: ServiceJson, ...problems(401, 404) } } },
    async (request) => toServiceJson(await deps.useCases.getService(request.params)),
  );

  app.post(
    '/services',
    {
      onRequest: requireRole('admin'),
      schema: {
        operationId: 'createService',
        tags: ['catalog'],
        summary: 'Create a service (admin)',
        body: CreateServiceBody,
        response: { 201: ServiceJson, ...problems(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const { body } = request;
      const service = await deps.useCases.createService({
        actor: actorOf(request),
        key: body.key,
        name: body.name,
        scopes: scopesOf(body.scopes) ?? [],
        ...(body.description === undefined ? {} : { description: body.description }),
        ...(body.base_urls === undefined ? {} : { baseUrls: body.base_urls }),
        ...(body.audiences === undefined ? {} : { audiences: body.audiences }),
      });
      return reply.code(201).send(toServiceJson(service));
    },
  );

  app.patch(
    '/services/:key',
    {
      onRequest: requireRole('admin'),
      schema: {
        operationId: 'updateService',
        tags: ['catalog'],
        summary: 'Edit a service (admin): only the fields sent change; `scopes` is the complete new list',
        params: KeyParams,
        body: UpdateServiceBody,
        response: { 200: ServiceJson, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { body } = request;
      const scopes = scopesOf(body.scopes);
      const service = await deps.useCases.updateService({
        actor: actorOf(request),
        key: request.params.key,
        ...(body.name === undefined ? {} : { name: body.name }),
        ...(body.description === undefined ? {} : { description: body.description }),
        ...(scopes === undefined ? {} : { scopes }),
        ...(body.base_urls === undefined ? {} : { baseUrls: body.base_urls }),
        ...(body.audiences === undefined ? {} : { audiences: body.audiences }),
      });
      return toServiceJson(service);
    },
  );

  app.delete(
    '/services/:key',
    {
      onRequest: requireRole('admin'),
      schema: {
        operationId: 'retireService',
        tags: ['catalog'],
        summary: 'Retire a service (admin): no new token covers it; it stays listed with ?retired=true',
        params: KeyParams,
        response: { 200: ServiceJson, ...problems(401, 403, 404, 409) },
      },
    },
    async (request) => toServiceJson(await deps.useCases.retireService({ actor: actorOf(request), key: request.params.key })),
  );
};
