import { Type } from 'typebox';
import {
  CreatePersonalTokenBody as CreateBody,
  DEFAULT_LIMIT,
  GeneratedPersonalTokenJson,
  Page,
  PageQuery,
  PersonalTokenJson,
  PersonalTokenScopesJson as ScopeList,
  TokenIdParams as TokenId,
} from '@latchkey/contract';
import { actorOf, requireUser } from './authentication.js';
import { decodeCursor, encodeCursor, isStringKey } from './pagination.js';
import type { PortalRoutes } from './portal-routes.js';
import { problems } from './problem.js';
import { toPersonalTokenJson } from './personal-token-json.js';

/** A `pat` holder's own personal access tokens: create, list, generate (shown once), delete. */
export const registerPersonalTokenRoutes: PortalRoutes = (app, deps) => {
  const tags = ['personal access tokens'];

  app.get(
    '/me/tokens/scopes',
    {
      onRequest: requireUser,
      schema: {
        operationId: 'listPersonalTokenScopes',
        tags,
        summary: 'The scopes you may put in a personal access token (pat role): the portal scopes, and service scopes only where an application you belong to holds them',
        response: { 200: ScopeList, ...problems(401, 403) },
      },
    },
    async (request) => {
      const listed = await deps.useCases.listTokenScopes({ actor: actorOf(request) });
      return { items: listed.items.map((c) => ({ ...c, environments: [...c.environments], applications: [...c.applications] })), next_cursor: null, service_scopes: listed.serviceScopes };
    },
  );

  app.get(
    '/me/tokens',
    { onRequest: requireUser, schema: { operationId: 'listPersonalTokens', tags, summary: 'Your personal access tokens (never the tokens themselves)', querystring: PageQuery, response: { 200: Page(PersonalTokenJson), ...problems(400, 401) } } },
    async (request) => {
      const before = decodeCursor(request.query.cursor, isStringKey);
      const actor = actorOf(request);
      const found = await deps.useCases.listOwnPersonalTokens({ actor, limit: request.query.limit ?? DEFAULT_LIMIT, ...(before === undefined ? {} : { before }) });
      const now = deps.clock.now();
      return { items: found.items.map((r) => toPersonalTokenJson(r, now, actor.user)), next_cursor: found.next === null ? null : encodeCursor(found.next) };
    },
  );

  app.get(
    '/me/tokens/:id',
    { onRequest: requireUser, schema: { operationId: 'getPersonalToken', tags, summary: 'One of your personal access tokens', params: TokenId, response: { 200: PersonalTokenJson, ...problems(401, 404) } } },
    async (request) => {
      const actor = actorOf(request);
      return toPersonalTokenJson(await deps.useCases.getPersonalToken({ actor, id: request.params.id }), deps.clock.now(), actor.user);
    },
  );

  app.post(
    '/me/tokens',
    { onRequest: requireUser, schema: { operationId: 'createPersonalToken', tags, summary: 'Create a personal access token record (pat role); then generate its token', body: CreateBody, response: { 201: PersonalTokenJson, ...problems(400, 401, 403, 404, 409) } } },
    async (request, reply) => {
      const actor = actorOf(request);
      const { name, expires_at: expiresAt, scopes, replaces } = request.body;
      const record = await deps.useCases.createPersonalToken({ actor, name, expiresAt, ...(scopes === undefined ? {} : { scopes }), ...(replaces === undefined ? {} : { replaces }) });
      return reply.code(201).header('location', `/api/v1/me/tokens/${record.id}`).send(toPersonalTokenJson(record, deps.clock.now(), actor.user));
    },
  );

  app.post(
    '/me/tokens/:id/generate',
    {
      onRequest: requireUser,
      schema: {
        operationId: 'generatePersonalToken',
        tags,
        summary: 'Issue the token (a JWT), shown this once; generating again makes the previous one inactive at once',
        params: TokenId,
        response: { 200: GeneratedPersonalTokenJson, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const generated = await deps.useCases.generatePersonalToken({ actor, id: request.params.id });
      return {
        token: generated.token,
        token_type: 'Bearer' as const,
        expires_at: new Date(generated.record.expiresAt).toISOString(),
        record: toPersonalTokenJson(generated.record, deps.clock.now(), actor.user),
      };
    },
  );

  app.delete(
    '/me/tokens/:id',
    { onRequest: requireUser, schema: { operationId: 'deletePersonalToken', tags, summary: 'Delete one of your personal access tokens: it stops working at once', params: TokenId, response: { 204: Type.Null(), ...problems(401, 403, 404) } } },
    async (request, reply) => {
      await deps.useCases.deletePersonalToken({ actor: actorOf(request), id: request.params.id });
      return reply.code(204).send(null);
    },
  );
};
