import { Type } from 'typebox';
import { exportPostmanCollection } from '../../domain/postman/export-postman-collection.js';
import { actorOf, requireUser } from './authentication.js';
import type { PortalRoutes } from './portal-routes.js';
import { problems } from './problem.js';

const Params = Type.Object({
  acronym: Type.String({ minLength: 1, maxLength: 64, description: 'the application acronym (any case)' }),
  env: Type.String({ minLength: 1, maxLength: 64, description: 'an environment the application has registered' }),
});

// The collection is a document in a format of its own (Postman v2.1), described by its schema URL, not
// by ours: the response schema only says it is an object, and the reply is sent as built.
const Collection = Type.Object({}, { title: 'PostmanCollection', additionalProperties: true, description: 'Postman Collection v2.1 (https://schema.getpostman.com/json/collection/v2.1.0/collection.json)' });

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
      const collection = await exportPostmanCollection(deps, { ...request.params, actor: actorOf(request) });
      const file = `${collection.info.name.split(' (')[0]?.replace(/[^A-Za-z0-9_-]+/g, '-') ?? 'latchkey'}.postman_collection.json`;
      return reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="${file}"`)
        .serializer(JSON.stringify)
        .send(collection);
    },
  );
};
