import { Type } from 'typebox';
import { DIALECT_TAG, StatusErrorBody } from './dialect-schema.js';

/** The dialect's documented limit for each field. */
export const AUTHENTICATE_FIELD_MAX_LENGTH = 100;

const Error = StatusErrorBody('AuthenticateError');

export const AUTHENTICATE_SCHEMA = {
  operationId: 'issueAuthenticateToken',
  tags: [DIALECT_TAG],
  summary: 'authenticate: client credentials as JSON',
  description: 'The legacy authenticate endpoint (docs/dialects/authenticate.md): 400 names the offending field, 401 for bad credentials.',
  security: [],
  consumes: ['application/json'],
  body: Type.Object({
    clientId: Type.String({ minLength: 1, maxLength: AUTHENTICATE_FIELD_MAX_LENGTH }),
    clientSecret: Type.String({ minLength: 1, maxLength: AUTHENTICATE_FIELD_MAX_LENGTH }),
  }, { title: 'AuthenticateRequest' }),
  response: {
    200: Type.Object({
      accessToken: Type.String({ description: 'an RFC 9068 JWT' }),
      tokenType: Type.String(),
      expirationTime: Type.Integer({ description: 'epoch milliseconds' }),
      tokenValiditySec: Type.Integer(),
    }, { title: 'AuthenticateResponse' }),
    400: Error,
    401: Error,
    403: Error,
    413: Error,
    503: Error,
  },
};
