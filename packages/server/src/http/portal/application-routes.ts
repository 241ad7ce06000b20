import { Type } from 'typebox';
import { requestApplication, getApplicationDraft } from '../../domain/applications/request-application.js';
import { decideApplication } from '../../domain/applications/decide-application.js';
import { getApplication } from '../../domain/applications/get-application.js';
import { listApplications } from '../../domain/applications/list-applications.js';
import { tokenEndpointOf } from '../../domain/environments/register-environment.js';
import { actorOf, requireUser } from './authentication.js';
import { decodeCursor, DEFAULT_LIMIT, isStringKey, Page, PageQuery, pageOf } from './pagination.js';
import type { PortalRoutes } from './portal-routes.js';
import { problems } from './problem.js';
import {
  AcronymParams,
  ApplicationDetailsJson,
  ApplicationJson,
  Decision,
  toApplicationJson,
  toApplicationDetailsJson,
} from './application-json.js';

const RequestBody = Type.Object({
  acronym: Type.String({ minLength: 1, maxLength: 64, description: '2-16 letters or digits; unique regardless of case; stored upper-case' }),
  name: Type.Optional(Type.String({ maxLength: 200 })),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
});

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
    async (request, reply) => reply.code(201).send(toApplicationJson(await requestApplication(deps, { ...request.body, actor: actorOf(request) }))),
  );

  app.get(
    '/applications',
    {
      onRequest: requireUser,
      schema: {
        operationId: 'listApplications',
        tags: ['applications'],
        summary: 'Applications: yours, or every one for administrators',
        querystring: Type.Object({ ...PageQuery.properties, status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')])) }),
        response: { 200: Page(ApplicationJson), ...problems(400, 401) },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? DEFAULT_LIMIT;
      const after = decodeCursor(request.query.cursor, isStringKey);
      const rows = await listApplications(deps, {
        actor: actorOf(request),
        limit: limit + 1,
        ...(after === undefined ? {} : { after }),
        ...(request.query.status === undefined ? {} : { status: request.query.status }),
      });
      return pageOf(rows, limit, (a) => a.acronym, toApplicationJson);
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
        response: { 200: Type.Union([Type.Object({ acronym: Type.String(), name: Type.String(), description: Type.String(), status: ApplicationJson.properties.status }), Type.Null()]), ...problems(401) },
      },
    },
    async (request) => getApplicationDraft(deps, { actor: actorOf(request) }),
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
      return toApplicationDetailsJson(await getApplication(deps, { ...request.params, actor: actorOf(request) }), tokenEndpointOf(deps.issuer));
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
    async (request) => toApplicationJson(await decideApplication(deps, { actor: actorOf(request), acronym: request.params.acronym, ...request.body })),
  );
};
