import { Type } from 'typebox';
import { AdminUserJson, DEFAULT_LIMIT, Page, PageQuery, RoleName, SetRolesBody, UserIdParams as UserId } from '@latchkey/contract';
import type { User } from '../../domain/users/user.js';
import { actorOf, requireRole } from './authentication.js';
import { decodeCursor, encodeCursor, isStringKey } from './pagination.js';
import type { PortalRoutes } from './portal-routes.js';
import { problems } from './problem.js';
import { toUserJson } from './session-routes.js';

function toAdminUserJson(user: User): AdminUserJson {
  return { ...toUserJson(user), disabled_at: user.disabledAt === null ? null : new Date(user.disabledAt).toISOString() };
}

/** Administrators: users and their roles. A change holds on the user's next request, in every instance. */
export const registerUserRoleRoutes: PortalRoutes = (app, deps) => {
  const tags = ['users and roles (administrators)'];

  app.get(
    '/users',
    {
      onRequest: requireRole('admin'),
      schema: {
        operationId: 'listUsers',
        tags,
        summary: 'Users by email, optionally only holders of a role (admin)',
        querystring: Type.Object({ ...PageQuery.properties, role: Type.Optional(RoleName) }),
        response: { 200: Page(AdminUserJson), ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const after = decodeCursor(request.query.cursor, isStringKey);
      const page = await deps.useCases.listUsers({
        actor: actorOf(request),
        limit: request.query.limit ?? DEFAULT_LIMIT,
        ...(after === undefined ? {} : { after }),
        ...(request.query.role === undefined ? {} : { role: request.query.role }),
      });
      return { items: page.items.map(toAdminUserJson), next_cursor: page.next === null ? null : encodeCursor(page.next) };
    },
  );

  app.put(
    '/users/:id/roles',
    {
      onRequest: requireRole('admin'),
      schema: {
        operationId: 'setUserRoles',
        tags,
        summary: "Replace a user's roles (admin); the last administrator cannot drop admin",
        params: UserId,
        body: SetRolesBody,
        response: { 200: Type.Object({ ...AdminUserJson.properties, granted: Type.Array(Type.String()), removed: Type.Array(Type.String()) }), ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const result = await deps.useCases.setUserRoles({ actor: actorOf(request), userId: request.params.id, roles: request.body.roles });
      return { ...toAdminUserJson(result.user), granted: [...result.granted], removed: [...result.removed] };
    },
  );

  app.put(
    '/users/:id/disabled',
    {
      onRequest: requireRole('admin'),
      schema: {
        operationId: 'setUserDisabled',
        tags,
        summary: 'Disable or re-enable a user (admin): their sessions and personal access tokens stop working at once',
        params: UserId,
        body: Type.Object({ disabled: Type.Boolean() }),
        response: { 200: AdminUserJson, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => toAdminUserJson(await deps.useCases.setUserDisabled({ actor: actorOf(request), userId: request.params.id, disabled: request.body.disabled })),
  );
};
