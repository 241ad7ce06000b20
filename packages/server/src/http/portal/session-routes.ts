import { Type } from 'typebox';
import { LogInBody as Credentials, SessionJson, UserJson } from '@latchkey/contract';
import type { User } from '../../domain/users/user.js';
import { actorOf, clearSessionCookie, principalOf, requireRole, requireUser, setSessionCookie } from './authentication.js';
import type { PortalRoutes } from './portal-routes.js';
import { problems } from './problem.js';

export function toUserJson(user: User): UserJson {
  return { id: user.id, email: user.email, name: user.name, roles: [...user.roles], created_at: new Date(user.createdAt).toISOString() };
}

/** Log in, who am I, log out; an administrator ends a user's sessions. */
export const registerSessionRoutes: PortalRoutes = (app, deps) => {
  app.post(
    '/session',
    {
      schema: {
        operationId: 'logIn',
        tags: ['sessions'],
        summary: 'Log in: sets the HttpOnly session cookie',
        security: [],
        body: Credentials,
        response: { 200: SessionJson, ...problems(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const started = await deps.useCases.logIn({
        email: request.body.email,
        password: request.body.password,
        address: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
      });
      // A session this browser held before is replaced, not left running beside the new one.
      const previous = request.principal;
      if (previous?.via === 'session') await deps.useCases.endSession({ actor: actorOf(request), sessionId: previous.credentialId });
      setSessionCookie(reply, deps.issuer, started.token, started.session.expiresAt);
      return { user: toUserJson(started.user), via: 'session' as const, scopes: null };
    },
  );

  app.get(
    '/session',
    { onRequest: requireUser, schema: { operationId: 'getSession', tags: ['sessions'], summary: 'Who am I: the user and roles', response: { 200: SessionJson, ...problems(401) } } },
    async (request) => {
      const principal = principalOf(request);
      return { user: toUserJson(principal.user), via: principal.via, scopes: principal.scopes === null ? null : [...principal.scopes] };
    },
  );

  app.delete(
    '/session',
    { onRequest: requireUser, schema: { operationId: 'logOut', tags: ['sessions'], summary: 'Log out: ends this session', response: { 204: Type.Null(), ...problems(401, 403) } } },
    async (request, reply) => {
      const principal = principalOf(request);
      if (principal.via === 'session') await deps.useCases.endSession({ actor: actorOf(request), sessionId: principal.credentialId });
      clearSessionCookie(reply, deps.issuer);
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/users/:id/sessions',
    {
      onRequest: requireRole('admin'),
      schema: {
        operationId: 'endUserSessions',
        tags: ['sessions'],
        summary: "End every session of a user (admin)",
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 200: Type.Object({ ended: Type.Integer() }), ...problems(401, 403, 404) },
      },
    },
    async (request) => ({ ended: await deps.useCases.endUserSessions({ actor: actorOf(request), userId: request.params.id }) }),
  );
};
