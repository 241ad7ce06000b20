import { LockoutJson, Page, PageQuery } from '@latchkey/contract';
import type { Lockout } from '../../domain/users/lockout.js';
import { actorOf, requireRole } from './authentication.js';
import { pageOfSorted } from './pagination.js';
import type { PortalRoutes } from './portal-routes.js';
import { problems } from './problem.js';

function toLockoutJson(lockout: Lockout): LockoutJson {
  return {
    scope: lockout.scope,
    account: lockout.account,
    address: lockout.address,
    failures: lockout.failures,
    locked_at: new Date(lockout.lockedAt).toISOString(),
    locked_until: new Date(lockout.lockedUntil).toISOString(),
  };
}

/** Login lock-outs in force, for administrators (the same list as `latchkey lockouts list`). */
export const registerLockoutRoutes: PortalRoutes = (app, deps) => {
  app.get(
    '/lockouts',
    {
      onRequest: requireRole('admin'),
      schema: {
        operationId: 'listLockouts',
        tags: ['users'],
        summary: 'Login lock-outs in force after repeated failed logins',
        querystring: PageQuery,
        response: { 200: Page(LockoutJson), ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const key = (l: Lockout): string => `${l.scope}\n${l.address}\n${l.account ?? ''}`;
      const lockouts = (await deps.useCases.listLockouts({ actor: actorOf(request) })).sort((a, b) => (key(a) < key(b) ? -1 : 1));
      return pageOfSorted(lockouts, request.query, key, toLockoutJson);
    },
  );
};
