import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode } from '../../../domain/errors.js';
import { asDomainError } from '../dialect-body.js';
import { OAUTH_ERRORS } from '../../oauth/oauth-error.js';

/**
 * The token-api dialect's error codes (the OWIN-style `{error, error_description}` its clients parse):
 * RFC 6749's, except that its clients know no `invalid_target` and read `too_many_attempts` for a lock-out.
 */
const MAPPING: Readonly<Record<ErrorCode, readonly [number, string]>> = {
  ...OAUTH_ERRORS,
  resource_not_allowed: [400, 'invalid_request'],
  rate_limited: [429, 'too_many_attempts'],
};

/** The one serializer of token-api errors; anything unexpected is a bare `server_error`, logged with its request id. */
export function sendTokenApiError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
  const known = asDomainError(error);
  if (!known) {
    request.log.error({ err: error }, 'unexpected error on the token-api dialect');
    return reply.code(500).send({ error: 'server_error', error_description: `an unexpected error occurred; quote request id ${request.id} to the operator` });
  }
  const [status, code] = MAPPING[known.code];
  if (known.retryAfterSeconds !== undefined) reply.header('retry-after', String(known.retryAfterSeconds));
  if (status === 401) reply.header('www-authenticate', 'Basic realm="latchkey", charset="UTF-8"');
  return reply.code(status).send({ error: code, error_description: known.message });
}
