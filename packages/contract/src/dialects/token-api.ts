import { Type } from 'typebox';
import { DIALECT_TAG } from './dialect-schema.js';

const Parameters = Type.Object({
  grant_type: Type.Literal('password'),
  username: Type.String({ description: "the user's email" }),
  password: Type.String(),
}, { title: 'TokenApiRequest' });

const Token = Type.Object({
  access_token: Type.String({ description: 'an RFC 9068 JWT' }),
  token_type: Type.Literal('bearer'),
  expires_in: Type.Integer({ description: 'seconds (LATCHKEY_TOKEN_API_TTL; 14 days by default)' }),
  userName: Type.String(),
  userId: Type.String(),
  role: Type.String({ description: "the user's roles, comma-separated" }),
  '.issued': Type.String({ description: 'RFC 1123 date' }),
  '.expires': Type.String({ description: 'RFC 1123 date; .issued + expires_in' }),
}, { title: 'TokenApiResponse' });

const Error = Type.Object({ error: Type.String(), error_description: Type.String() }, { title: 'TokenApiError' });

const common = {
  tags: [DIALECT_TAG],
  security: [],
  description:
    'The legacy Token API (docs/dialects/token-api.md). Each new token discards the user\'s earlier ones. Parameters as a form body (even when labelled application/json), a JSON body, or the query string; Basic auth may carry username:password.',
  response: { 200: Token, 400: Error, 401: Error, 413: Error, 429: Error, 503: Error },
};

export const TOKEN_API_POST_SCHEMA = { ...common, operationId: 'issueTokenApiToken', summary: 'token-api: password grant', consumes: ['application/x-www-form-urlencoded', 'application/json'], body: Parameters };
export const TOKEN_API_GET_SCHEMA = { ...common, operationId: 'issueTokenApiTokenByGet', summary: 'token-api: password grant (GET)', querystring: Type.Partial(Parameters) };
