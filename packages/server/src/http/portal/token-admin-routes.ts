import {
  AdminTokenQuery as AdminQuery,
  DEFAULT_LIMIT,
  Page,
  PageQuery,
  PersonalTokenAuditEventJson as AuditJson,
  PersonalTokenJson,
  TokenIdParams as TokenId,
} from '@latchkey/contract';
import { actorOf, requireRole } from './authentication.js';
import { decodeCursor, encodeCursor, isNumberKey, isStringKey } from './pagination.js';
import type { PortalRoutes } from './portal-routes.js';
import { problems } from './problem.js';
import { toPersonalTokenJson } from './personal-token-json.js';

/** Token administrators: every user's personal access tokens, revocation, and their audit trail. */
export const registerTokenAdminRoutes: PortalRoutes = (app, deps) => {
  const tags = ['personal access tokens (token administrators)'];

  app.get(
    '/tokens',
    { onRequest: requireRole('token_admin'), schema: { operationId: 'listAllPersonalTokens', tags, summary: "Every user's personal access tokens, newest first (token_admin)", querystring: AdminQuery, response: { 200: Page(PersonalTokenJson), ...problems(400, 401, 403) } } },
    async (request) => {
      const q = request.query;
      const before = decodeCursor(q.cursor, isStringKey);
      const found = await deps.useCases.listAllPersonalTokens({
        actor: actorOf(request),
        limit: q.limit ?? DEFAULT_LIMIT,
        ...(before === undefined ? {} : { before }),
        ...(q.user_id === undefined ? {} : { userId: q.user_id }),
        ...(q.email === undefined ? {} : { email: q.email }),
        ...(q.expires_before === undefined ? {} : { expiresBefore: Date.parse(q.expires_before) }),
        ...(q.last_used_before === undefined ? {} : { lastUsedBefore: Date.parse(q.last_used_before) }),
      });
      const now = deps.clock.now();
      return { items: found.items.map((r) => toPersonalTokenJson(r.record, now, r.owner)), next_cursor: found.next === null ? null : encodeCursor(found.next) };
    },
  );

  app.get(
    '/tokens/audit',
    {
      onRequest: requireRole('token_admin'),
      schema: { operationId: 'listPersonalTokenAudit', tags, summary: 'Audit trail of personal access tokens and role changes, newest first (token_admin)', querystring: PageQuery, response: { 200: Page(AuditJson), ...problems(400, 401, 403) } },
    },
    async (request) => {
      const before = decodeCursor(request.query.cursor, isNumberKey);
      const found = await deps.useCases.listPersonalTokenAudit({ actor: actorOf(request), limit: request.query.limit ?? DEFAULT_LIMIT, ...(before === undefined ? {} : { before }) });
      return {
        items: found.items.map((e) => ({ id: e.id, at: new Date(e.at).toISOString(), actor: e.actor, address: e.address, action: e.action, target: e.target, details: { ...e.details } })),
        next_cursor: found.next === null ? null : encodeCursor(found.next),
      };
    },
  );

  app.delete(
    '/tokens/:id',
    {
      onRequest: requireRole('token_admin'),
      schema: { operationId: 'revokePersonalToken', tags, summary: "Revoke anyone's personal access token: it stops working at once and its owner is emailed (token_admin)", params: TokenId, response: { 200: PersonalTokenJson, ...problems(401, 403, 404, 409) } },
    },
    async (request) => {
      const revoked = await deps.useCases.revokePersonalToken({ actor: actorOf(request), id: request.params.id });
      return toPersonalTokenJson(revoked.record, deps.clock.now(), revoked.owner);
    },
  );
};
