import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TOKEN_API_GET_SCHEMA, TOKEN_API_POST_SCHEMA } from '@latchkey/contract';
import { DomainError } from '../../../domain/errors.js';
import type { PasswordGrant } from '../../../domain/oauth/grants/password.js';
import { TOKEN_API_CLIENT_ID } from '../../../domain/oauth/issue-user-token.js';
import { normaliseEmail } from '../../../domain/users/user.js';
import type { HttpDeps } from '../../deps.js';
import { basicCredentials } from '../../oauth/client-credentials.js';
import { acceptTextBodies, bodyText, parseFormObject, parseJsonObject } from '../dialect-body.js';
import { sendTokenApiError } from './token-api-error.js';
import { schemasDocumentOnly } from '../../document-only-schemas.js';

/**
 * The parameters, from the query string and the body. The body is form-encoded even when labelled
 * application/json (the dialect's own documented curl example sends it so); a real JSON object is read too.
 */
async function parameters(request: FastifyRequest): Promise<Record<string, string>> {
  const text = (await bodyText(request)).trim();
  const fromBody = text.startsWith('{') ? parseJsonObject(text, '{"grant_type": "password", "username": …, "password": …}') : parseFormObject(text);
  const fromQuery = request.query as Record<string, unknown>;
  const params: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const source of [fromQuery, fromBody]) {
    for (const [name, value] of Object.entries(source)) {
      if (typeof value !== 'string') throw new DomainError('bad_request', `parameter "${name}" must be a single string`, { fields: [{ field: name, message: 'not a string' }] });
      if (name in params && params[name] !== value) throw new DomainError('bad_request', `parameter "${name}" is given twice with different values; send it once`);
      if (value !== '') params[name] = value;
    }
  }
  return params;
}

function required(params: Record<string, string>, name: string): string {
  const value = params[name];
  if (value === undefined) throw new DomainError('bad_request', `parameter "${name}" is required`, { fields: [{ field: name, message: 'required' }] });
  return value;
}

/** The dialect's documented fields; dates as RFC 1123 (`toUTCString`), consistent with `expires_in`. */
function tokenApiResponse({ user, token }: PasswordGrant): Record<string, unknown> {
  const issuedAt = token.expiresAt - token.expiresIn * 1000;
  return {
    access_token: token.accessToken,
    token_type: 'bearer',
    expires_in: token.expiresIn,
    userName: user.email,
    userId: user.id,
    role: user.roles.join(',') || 'user',
    '.issued': new Date(issuedAt).toUTCString(),
    '.expires': new Date(token.expiresAt).toUTCString(),
  };
}

/**
 * `GET`/`POST /Token` (docs/dialects/token-api.md): the password grant of the legacy Token API. Each new
 * token discards the user's earlier ones (their watermark moves), and lives LATCHKEY_TOKEN_API_TTL.
 */
export function registerTokenApiRoutes(app: FastifyInstance, deps: HttpDeps): void {
  acceptTextBodies(app);
  schemasDocumentOnly(app);
  app.setErrorHandler((error, request, reply) => sendTokenApiError(error, request, reply));
  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const params = await parameters(request);
    const grantType = required(params, 'grant_type');
    if (grantType !== 'password') throw new DomainError('unsupported_grant', `grant_type "${grantType}" is not supported here; use grant_type=password`);
    // Basic auth carries the user's own username:password, instead of or besides the body's.
    if (request.headers.authorization !== undefined) {
      const basic = basicCredentials(request.headers.authorization);
      if (params.username !== undefined && normaliseEmail(params.username) !== normaliseEmail(basic.clientId)) {
        throw new DomainError('bad_request', 'the Authorization header names a different user than the username parameter; send one set of credentials');
      }
      params.username ??= basic.clientId;
      params.password ??= basic.clientSecret;
    }
    const grant = await deps.useCases.grantPasswordToken({
      email: required(params, 'username'),
      password: required(params, 'password'),
      address: request.ip,
      client: null,
      scope: params.scope,
      resources: [],
      supersede: true,
      firstParty: { clientId: TOKEN_API_CLIENT_ID, ttlSeconds: deps.tokenApiTtlSeconds },
    });
    // The new token superseded the user's earlier ones: every worker of this instance must know before the
    // client can present one of them elsewhere.
    await deps.settleWrites();
    return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(tokenApiResponse(grant));
  };
  app.get('/Token', { schema: TOKEN_API_GET_SCHEMA }, handler);
  app.post('/Token', { schema: TOKEN_API_POST_SCHEMA }, handler);
}
