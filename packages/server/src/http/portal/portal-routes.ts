/**
 * The portal REST API under /api/v1: one encapsulated Fastify scope with its own error and not-found
 * handlers (RFC 9457 problem+json), cookie parsing, authentication and the same-origin guard. Routes
 * outside this scope (OAuth endpoints, the `access-token` dialect's POST /api/v1/access-token, the web
 * app) are untouched by any of it. docs/portal-api.md describes the API for its users.
 *
 * HOW TO ADD A ROUTE FILE
 * 1. Create `http/portal/<topic>-routes.ts` exporting one function of type `PortalRoutes`:
 *
 *      export const registerWidgetRoutes: PortalRoutes = (app, deps) => {
 *        app.post('/widgets', {
 *          onRequest: requireUser,                      // or requireRole('admin'); omit for anonymous routes
 *          schema: {
 *            operationId: 'createWidget', tags: ['widgets'], summary: 'Create a widget',
 *            body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }),
 *            response: { 201: Widget, ...problems(400, 401, 403, 409) },
 *          },
 *        }, async (request, reply) => {
 *          const widget = await deps.useCases.createWidget({ ...request.body, actor: actorOf(request) });   // one use case
 *          return reply.code(201).send(toWidgetJson(widget));
 *        });
 *      };
 *
 *    Paths are relative to /api/v1. `request.body`/`query`/`params` are typed from the TypeBox schemas,
 *    validated before the handler runs (a 400 listing `fields`), and replies are serialised by the
 *    response schema (fields not in it are dropped: nothing leaks by accident). Throw `DomainError`
 *    for failures; this scope maps it (not_found 404, conflict 409, forbidden 403, rate_limited 429 with
 *    Retry-After, …). After `requireUser`, `actorOf(request)` is the caller as use cases take it (`input.actor`:
 *    whom audit entries name and permission checks read); `principalOf(request)` adds how it authenticated.
 *    Anonymous routes add `security: []` to their schema (the OpenAPI default is "logged in").
 *    Every route needs a unique camelCase `operationId` (generated clients name their methods after it); a
 *    body schema shared between routes takes `{ title: 'Widget' }`, its name in components.schemas, and an
 *    untitled body is named after the operation (`CreateWidgetRequest`); see openapi-components.ts.
 * 2. Lists: `querystring: PageQuery`, `response: { 200: Page(Item) }`, `pageOf(rows, limit, keyOf, toItem)`
 *    after fetching `limit + 1` rows from the cursor's key (pagination.ts).
 * 3. Add the function to PORTAL_ROUTE_FILES below: one line. OpenAPI (/api/openapi.json) picks it up.
 */
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import fastifyCookie from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { HttpDeps } from '../deps.js';
import { authenticationHook } from './authentication.js';
import { sendErrorAsProblem, sendProblem } from './problem.js';
import { registerSessionRoutes } from './session-routes.js';
import { registerSignUpRoutes } from './sign-up-routes.js';
import { registerCatalogRoutes } from './catalog-routes.js';
import { registerAuditRoutes } from './audit-routes.js';
import { registerLockoutRoutes } from './lockout-routes.js';
import { registerOutboxRoutes } from './outbox-routes.js';
import { registerPostmanRoutes } from './postman-routes.js';
import { registerApplicationRoutes } from './application-routes.js';
import { registerEnvironmentRoutes } from './environment-routes.js';
import { registerTeamRoutes } from './team-routes.js';
import { registerPersonalTokenRoutes } from './personal-token-routes.js';
import { registerTokenAdminRoutes } from './token-admin-routes.js';
import { registerUserRoleRoutes } from './user-role-routes.js';

export type PortalApp = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;
export type PortalRoutes = (app: PortalApp, deps: HttpDeps) => void | Promise<void>;

export const PORTAL_PREFIX = '/api/v1';

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Every portal route file, registered in this order. Add yours here (one line). */
const PORTAL_ROUTE_FILES: readonly PortalRoutes[] = [
  registerSessionRoutes,
  registerSignUpRoutes,
  registerCatalogRoutes,
  registerAuditRoutes,
  registerLockoutRoutes,
  registerOutboxRoutes,
  registerPostmanRoutes,
  registerApplicationRoutes,
  registerEnvironmentRoutes,
  registerTeamRoutes,
  registerPersonalTokenRoutes,
  registerTokenAdminRoutes,
  registerUserRoleRoutes,
];

export async function registerPortalRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  await app.register(
    async (scope) => {
      const portal = scope.withTypeProvider<TypeBoxTypeProvider>();
      await portal.register(fastifyCookie);
      // JSON only: other bodies are a 415 that says so, not a confusing validation error.
      portal.removeContentTypeParser('text/plain');
      portal.setErrorHandler((error, request, reply) => sendErrorAsProblem(error, request, reply));
      portal.setNotFoundHandler((request, reply) =>
        sendProblem(reply, 404, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}: see /api/openapi.json for the routes there are`),
      );
      portal.addHook('onRequest', authenticationHook(deps));
      // Portal answers carry personal data and shown-once secrets: never cached. A request that may have
      // changed state (any unsafe method, failed or not: a failure can follow a committed write) is
      // answered only once the caches behind the token endpoints reflect it (read your own writes).
      portal.addHook('onSend', async (request, reply) => {
        reply.header('cache-control', 'no-store');
        if (SAFE_METHODS.has(request.method)) return;
        await deps.settleWrites().catch((error: unknown) =>
          request.log.warn({ err: error }, 'catching up with the change log failed; the next poll will'),
        );
      });
      for (const register of PORTAL_ROUTE_FILES) await register(portal, deps);
    },
    { prefix: PORTAL_PREFIX },
  );
}
