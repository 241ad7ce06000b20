import type { FastifyInstance } from 'fastify';
import { AUTHENTICATE_FIELD_MAX_LENGTH as MAX_FIELD_LENGTH, AUTHENTICATE_SCHEMA } from '@latchkey/contract';
import type { FieldIssue } from '../../../domain/errors.js';
import type { HttpDeps } from '../../deps.js';
import { acceptTextBodies, bodyText, fieldsError, parseJsonObject, requireBody, stringField } from '../dialect-body.js';
import { sendAuthenticateError } from './authenticate-error.js';
import { schemasDocumentOnly } from '../../document-only-schemas.js';

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

/**
 * `POST /api/auth/v1/authenticate` (docs/dialects/authenticate.md): client credentials as a JSON body,
 * answered with the dialect's camel-case token document; `expirationTime` in epoch milliseconds.
 */
export function registerAuthenticateRoutes(app: FastifyInstance, deps: HttpDeps): void {
  acceptTextBodies(app);
  schemasDocumentOnly(app);
  app.setErrorHandler((error, request, reply) => sendAuthenticateError(error, request, reply));
  app.post('/api/auth/v1/authenticate', { schema: AUTHENTICATE_SCHEMA }, async (request, reply) => {
    const text = await bodyText(request);
    requireBody(text, EXPECTED);
    const credentials = credentialsOf(parseJsonObject(text, EXPECTED));
    // The client_credentials grant without parameters: every scope and audience the client holds.
    const token = await deps.useCases.clientCredentialsGrant.handle({ credentials, params: {}, address: request.ip });
    return reply.header('cache-control', 'no-store').send({
      accessToken: token.accessToken,
      tokenType: token.tokenType,
      expirationTime: token.expiresAt,
      tokenValiditySec: token.expiresIn,
    });
  });
}
