import type { FastifyInstance } from 'fastify';
import { AUTHENTICATE_FIELD_MAX_LENGTH as MAX_FIELD_LENGTH, AUTHENTICATE_SCHEMA } from '@latchkey/contract';
import type { FieldIssue } from '../../../domain/errors.js';
import type { HttpDeps } from '../../deps.js';
import { acceptTextBodies, bodyText, fieldsError, parseJsonObject, requireBody, stringField } from '../dialect-body.js';
import { sendAuthenticateError } from './authenticate-error.js';
import { schemasDocumentOnly } from '../../document-only-schemas.js';
import { sendNoStoreJson } from '../../oauth/direct-reply.js';
import type { IssuedToken } from '../../../domain/oauth/issue-client-token.js';

const EXPECTED = '{"clientId": "…", "clientSecret": "…"}';

/** `clientId` (or `clientID`, as the dialect's own field table spells it) and `clientSecret`: required strings of at most 100 characters. */
function credentialsOf(body: Record<string, unknown>): { clientId: string; clientSecret: string } {
  const issues: FieldIssue[] = [];
  const field = (name: string, value: unknown): string | undefined => stringField(issues, name, value, { required: true, maxLength: MAX_FIELD_LENGTH });
  const clientId = field('clientId', body.clientId ?? body.clientID);
  const clientSecret = field('clientSecret', body.clientSecret);
  if (issues.length > 0 || clientId === undefined || clientSecret === undefined) throw fieldsError(issues, EXPECTED);
  return { clientId, clientSecret };
}

/** The dialect's camel-case token document, written directly (the token is base64url, the type a constant). */
function authenticateResponse(token: IssuedToken): string {
  return `{"accessToken":"${token.accessToken}","tokenType":${JSON.stringify(token.tokenType)},"expirationTime":${token.expiresAt},"tokenValiditySec":${token.expiresIn}}`;
}

/**
 * `POST /api/auth/v1/authenticate` (docs/dialects/authenticate.md): client credentials as a JSON body,
 * answered with the dialect's camel-case token document; `expirationTime` in epoch milliseconds.
 */
export function registerAuthenticateRoutes(app: FastifyInstance, deps: HttpDeps): void {
  acceptTextBodies(app);
  schemasDocumentOnly(app);
  app.setErrorHandler((error, request, reply) => sendAuthenticateError(error, request, reply));
  // Not an async function, like POST /oauth/token: with a cached client the request is answered in this
  // call (a POST's body is already read), and an error thrown here reaches the error handler all the same.
  app.post('/api/auth/v1/authenticate', { schema: AUTHENTICATE_SCHEMA }, (request, reply) => {
    const text = bodyText(request);
    const answer = (body: string): void | Promise<void> => {
      requireBody(body, EXPECTED);
      const credentials = credentialsOf(parseJsonObject(body, EXPECTED));
      // The client_credentials grant without parameters: every scope and audience the client holds.
      const token = deps.useCases.clientCredentialsGrant.handle({ credentials, params: {}, address: request.ip });
      return token instanceof Promise ? token.then((t) => sendNoStoreJson(reply, authenticateResponse(t))) : sendNoStoreJson(reply, authenticateResponse(token));
    };
    return typeof text === 'string' ? answer(text) : text.then(answer);
  });
}
