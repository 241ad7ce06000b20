import { Type } from 'typebox';
import { DIALECT_TAG, StatusErrorBody } from './dialect-schema.js';

const Error = StatusErrorBody('AccessTokenError');

export const ACCESS_TOKEN_SCHEMA = {
  operationId: 'issueAccessToken',
  tags: [DIALECT_TAG],
  summary: 'access-token: client credentials as JSON or form',
  description:
    'The legacy "Get Access Token" endpoint (docs/dialects/access-token.md). Its 404 reveals whether a client_id exists, so failures are rate limited per address (429 with Retry-After).',
  security: [],
  consumes: ['application/json', 'application/x-www-form-urlencoded'],
  body: Type.Object(
    {
      client_id: Type.String({ maxLength: 512 }),
      client_secret: Type.String({ maxLength: 512 }),
      scope: Type.Optional(Type.String({ description: 'space-separated; absent: every granted scope' })),
    },
    { title: 'AccessTokenRequest', additionalProperties: true },
  ),
  response: {
    200: Type.Object({ access_token: Type.String(), token_type: Type.String(), expires_in: Type.Integer(), scope: Type.String() }, { title: 'AccessTokenResponse' }),
    400: Error,
    401: Error,
    404: Error,
    412: Error,
    413: Error,
    429: Error,
    503: Error,
  },
};
