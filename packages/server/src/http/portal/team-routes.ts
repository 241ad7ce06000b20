import { Type } from 'typebox';
import { AcronymParams, ApplicationJson, DEFAULT_LIMIT, InvitationJson, InviteBody, MemberJson, Page, PageQuery } from '@latchkey/contract';
import { actorOf, requireUser } from './authentication.js';
import type { PortalRoutes } from './portal-routes.js';
import { problems } from './problem.js';
import { toApplicationJson } from './application-json.js';
import { decodeCursor, isNumberKey, pageOf } from './pagination.js';

/** Members, invitations and joining. */
export const registerTeamRoutes: PortalRoutes = (app, deps) => {
  app.get(
    '/applications/:acronym/members',
    {
      onRequest: requireUser,
      schema: { operationId: 'listMembers', tags: ['members'], summary: 'The members of an application, earliest first', params: AcronymParams, querystring: PageQuery, response: { 200: Page(MemberJson), ...problems(400, 401, 403, 404) } },
    },
    async (request) => {
      const limit = request.query.limit ?? DEFAULT_LIMIT;
      const skip = decodeCursor(request.query.cursor, isNumberKey) ?? 0;
      const members = await deps.useCases.listMembers({ ...request.params, actor: actorOf(request) });
      // Teams are small: the whole list is read and paged by position.
      return pageOf(members.slice(skip, skip + limit + 1), limit, (m) => skip + members.indexOf(m) + 1, (m) => ({
        userId: m.userId,
        email: m.email,
        name: m.name,
        role: m.role,
        joined_at: new Date(m.joinedAt).toISOString(),
      }));
    },
  );

  app.delete(
    '/applications/:acronym/members/:userId',
    {
      onRequest: requireUser,
      schema: {
        operationId: 'removeMember',
        tags: ['members'],
        summary: 'Remove another member (never yourself: 403; never the last member: 409)',
        params: Type.Object({ acronym: AcronymParams.properties.acronym, userId: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 204: Type.Null(), ...problems(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await deps.useCases.removeMember({ ...request.params, actor: actorOf(request) });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/applications/:acronym/invitations',
    {
      onRequest: requireUser,
      schema: {
        operationId: 'inviteMember',
        tags: ['members'],
        summary: 'Invite by email: a single-use link bound to that address, that expires',
        params: AcronymParams,
        body: InviteBody,
        response: { 201: InvitationJson, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const invitation = await deps.useCases.inviteMember({ actor: actorOf(request), acronym: request.params.acronym, email: request.body.email });
      return reply.code(201).send(toInvitationJson(invitation));
    },
  );

  app.get(
    '/applications/:acronym/invitations',
    {
      onRequest: requireUser,
      schema: { operationId: 'listInvitations', tags: ['members'], summary: 'Invitations not yet accepted nor expired, newest first', params: AcronymParams, response: { 200: Page(InvitationJson), ...problems(401, 403, 404) } },
    },
    async (request) => ({ items: (await deps.useCases.listInvitations({ ...request.params, actor: actorOf(request) })).map(toInvitationJson), next_cursor: null }),
  );

  app.post(
    '/invitations/:token/accept',
    {
      onRequest: requireUser,
      schema: {
        operationId: 'acceptInvitation',
        tags: ['members'],
        summary: 'Join the application: only the invited address may, once, before it expires',
        params: Type.Object({ token: Type.String({ minLength: 1, maxLength: 128 }) }),
        response: { 200: ApplicationJson, ...problems(401, 403, 404, 409) },
      },
    },
    async (request) => toApplicationJson(await deps.useCases.acceptInvitation({ ...request.params, actor: actorOf(request) })),
  );
};

function toInvitationJson(i: { id: string; email: string; invitedBy: string; createdAt: number; expiresAt: number }): InvitationJson {
  return { id: i.id, email: i.email, invited_by: i.invitedBy, created_at: new Date(i.createdAt).toISOString(), expires_at: new Date(i.expiresAt).toISOString() };
}
