import type { FastifyReply } from 'fastify';
import type { IssuedToken } from '../../domain/oauth/issue-client-token.js';
import { REQUEST_ID_HEADER } from '../request-id.js';

/**
 * RFC 6749 §5.1 success body, written directly: the access token is base64url and the token type a
 * constant, so only the scope needs escaping, and a generic serializer would cost more than the rest.
 */
export function tokenResponse(token: IssuedToken): string {
  return `{"access_token":"${token.accessToken}","token_type":"${token.tokenType}","expires_in":${token.expiresIn},"scope":${JSON.stringify(token.scope)}}`;
}

/**
 * The headers of every successful token answer but the request id, in the flat form `writeHead` takes:
 * JSON, and RFC 6749 §5.1's no-store and no-cache.
 */
const TOKEN_HEADERS = ['content-type', 'application/json; charset=utf-8', 'cache-control', 'no-store', 'pragma', 'no-cache'] as const;

/**
 * Answers 200 with a JSON body already written as text, straight on the raw response: the status line and
 * headers in one `writeHead`, the body in one `end`. Fastify's `send` would parse the content type back,
 * keep the headers in a table of its own and run its generic payload checks: 1-2% of a token's CPU. Only
 * for routes in a scope with no onSend hook (the token scopes add none).
 * The request is still counted and timed: Fastify's finish listener is installed before the handler runs.
 * The request id is the one header set before the handler (http/request-observer.ts): it is written here too.
 */
export function sendNoStoreJson(reply: FastifyReply, body: string): void {
  reply.hijack();
  reply.raw.writeHead(200, [...TOKEN_HEADERS, 'content-length', String(Buffer.byteLength(body)), REQUEST_ID_HEADER, reply.request.id]);
  reply.raw.end(body);
}
