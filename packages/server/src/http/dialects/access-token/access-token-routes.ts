import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ACCESS_TOKEN_SCHEMA } from '@latchkey/contract';
import type { FieldIssue } from '../../../domain/errors.js';
import type { HttpDeps } from '../../deps.js';
import { acceptTextBodies, bodyText, fieldsError, parseFormObject, parseJsonObject, requireBody, stringField } from '../dialect-body.js';
import { sendAccessTokenError } from './access-token-error.js';
import { schemasDocumentOnly } from '../../document-only-schemas.js';
import { sendNoStoreJson, tokenResponse } from '../../oauth/direct-reply.js';

const MAX_FIELD_LENGTH = 512;
const EXPECTED = '{"client_id": "…", "client_secret": "…", "scope": "…"} as JSON or form fields';

/** JSON when the content type says so (the default), form fields when it says form; other fields are ignored. */
function fieldsOf(request: FastifyRequest, text: string): Record<string, unknown> {
  const type = request.headers['content-type']?.toLowerCase() ?? '';
  if (type.startsWith('application/x-www-form-urlencoded')) return parseFormObject(text);
  requireBody(text, EXPECTED);
  return parseJsonObject(text, EXPECTED);
}

function validated(fields: Record<string, unknown>): { clientId: string; clientSecret: string; scope: string | undefined } {
  const issues: FieldIssue[] = [];
  const text = (name: string, required: boolean): string | undefined => stringField(issues, name, fields[name], { required, maxLength: MAX_FIELD_LENGTH });
  const clientId = text('client_id', true);
  const clientSecret = text('client_secret', true);
  const scope = text('scope', false);
  if (issues.length > 0 || clientId === undefined || clientSecret === undefined) {
    throw fieldsError(issues, EXPECTED);
  }
  return { clientId, clientSecret, scope };
}

/**
 * `POST /api/v1/access-token` (docs/dialects/access-token.md). Its documented 404 for an unknown client_id
 * tells which ids exist, so failures are throttled per address (grantRevealingClientToken).
 */
export function registerAccessTokenRoutes(app: FastifyInstance, deps: HttpDeps): void {
  acceptTextBodies(app);
  schemasDocumentOnly(app);
  app.setErrorHandler((error, request, reply) => sendAccessTokenError(error, request, reply));
  // Not an async function, like POST /oauth/token: a cached client whose throttle counters were read a
  // moment ago is answered in this call; an error thrown here reaches the error handler all the same.
  app.post('/api/v1/access-token', { schema: ACCESS_TOKEN_SCHEMA }, (request, reply) => {
    const text = bodyText(request);
    const answer = (body: string): void | Promise<void> => {
      const { clientId, clientSecret, scope } = validated(fieldsOf(request, body));
      const token = deps.useCases.grantRevealingClientToken({ credentials: { clientId, clientSecret }, scope, address: request.ip });
      return token instanceof Promise ? token.then((t) => sendNoStoreJson(reply, tokenResponse(t))) : sendNoStoreJson(reply, tokenResponse(token));
    };
    return typeof text === 'string' ? answer(text) : text.then(answer);
  });
}
