import {
  AcronymParams,
  ApplicationDetailsJson,
  ApplicationDraftJson,
  ApplicationJson,
  ApplicationListItemJson,
  ApplicationListQuery,
  ApplicationRequestBody as RequestBody,
  Decision,
  DEFAULT_LIMIT,
  Page,
} from '@latchkey/contract';
import { tokenEndpointOf } from '../../domain/environments/register-environment.js';
import { actorOf, requireUser } from './authentication.js';
import { decodeCursor, isStringKey, pageOf } from './pagination.js';
import type { PortalRoutes } from './portal-routes.js';
import { problems } from './problem.js';
import { toApplicationJson, toApplicationDetailsJson, toApplicationListItemJson } from './application-json.js';

/** Requesting, listing, reading and deciding applications. */
export const registerApplicationRoutes: PortalRoutes = (app, deps) => {
  app.post(
    '/applications',
    {
      onRequest: requireUser,
      schema: {
        operationId: 'createApplication',
        tags: ['applications'],
        summary: 'Request an application account: pending until an administrator decides',
        body: RequestBody,
        response: { 201: ApplicationJson, ...problems(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(toApplicationJson(await deps.useCases.requestApplication({ ...request.body, actor: actorOf(request) }))),
  );

  app.get(
    '/applications',
    {
      onRequest: requireUser,
      schema: {
        operationId: 'listApplications',
        tags: ['applications'],
        summary: 'Applications: yours, or every one for administrators',
        querystring: ApplicationListQuery,
        response: { 200: Page(ApplicationListItemJson), ...problems(400, 401) },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? DEFAULT_LIMIT;
      const after = decodeCursor(request.query.cursor, isStringKey);
      const rows = await deps.useCases.listApplications({
        actor: actorOf(request),
        limit: limit + 1,
        ...(after === undefined ? {} : { after }),
        ...(request.query.status === undefined ? {} : { status: request.query.status }),
      });
      if (request.query.include !== 'environments') return pageOf(rows, limit, (a) => a.acronym, toApplicationJson);
      const environments = await deps.useCases.listEnvironmentsOf(rows.slice(0, limit));
      return pageOf(rows, limit, (a) => a.acronym, (a) => toApplicationListItemJson(a, environments.get(a.id) ?? []));
    },
  );

  app.get(
    '/application-draft',
    {
      onRequest: requireUser,
      schema: {
        operationId: 'getApplicationDraft',
        tags: ['applications'],
        summary: "Your last request's acronym, name and description, to pre-fill the next one (null if none)",
        response: { 200: ApplicationDraftJson, ...problems(401) },
      },
    },
    async (request) => deps.useCases.getApplicationDraft({ actor: actorOf(request) }),
  );

  app.get(
    '/applications/:acronym',
    {
      onRequest: requireUser,
      schema: {
        operationId: 'getApplication',
        tags: ['applications'],
        summary: 'One application with its environments in order (members and administrators)',
        params: AcronymParams,
        response: { 200: ApplicationDetailsJson, ...problems(401, 403, 404) },
      },
    },
    async (request) => {
      return toApplicationDetailsJson(await deps.useCases.getApplication({ ...request.params, actor: actorOf(request) }), tokenEndpointOf(deps.issuer));
    },
  );

  app.post(
    '/applications/:acronym/approval',
    {
      onRequest: requireUser,
      schema: {
        operationId: 'decideApplication',
        tags: ['applications'],
        summary: 'Approve or reject a pending application (administrators); the requester is emailed',
        params: AcronymParams,
        body: Decision,
        response: { 200: ApplicationJson, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => toApplicationJson(await deps.useCases.decideApplication({ actor: actorOf(request), acronym: request.params.acronym, ...request.body })),
  );
};
