import { PostmanCollectionJson as Collection, PostmanParams as Params } from '@latchkey/contract';
import { actorOf, requireUser } from './authentication.js';
import type { PortalRoutes } from './portal-routes.js';
import { problems } from './problem.js';

/** GET /api/v1/applications/{acronym}/environments/{env}/postman: a member's credential as a Postman collection. */
export const registerPostmanRoutes: PortalRoutes = (app, deps) => {
  app.get(
    '/applications/:acronym/environments/:env/postman',
    {
      onRequest: requireUser,
      schema: {
        operationId: 'getPostmanCollection',
        tags: ['applications'],
        summary: 'Postman Collection v2.1 for this credential (client_secret left empty: pass it to newman with --env-var)',
        params: Params,
        response: { 200: Collection, ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const collection = await deps.useCases.exportPostmanCollection({ ...request.params, actor: actorOf(request) });
      const file = `${collection.info.name.split(' (')[0]?.replace(/[^A-Za-z0-9_-]+/g, '-') ?? 'latchkey'}.postman_collection.json`;
      return reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="${file}"`)
        .serializer(JSON.stringify)
        .send(collection);
    },
  );
};
