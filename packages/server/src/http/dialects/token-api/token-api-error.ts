import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode } from '../../../domain/errors.js';
import { asDomainError } from '../dialect-body.js';

/** The token-api dialect's error codes (the OWIN-style `{error, error_description}` its clients parse). */
const MAPPING: Record<ErrorCode, readonly [number, string]> = {
  bad_request: [400, 'invalid_request'],
  bad_credentials: [401, 'invalid_client'],
  unsupported_grant: [400, 'unsupported_grant_type'],
  grant_not_allowed: [400, 'unauthorized_client'],
  scope_not_allowed: [400, 'invalid_scope'],
  bad_grant: [400, 'invalid_grant'],
  resource_not_allowed: [400, 'invalid_request'],
  not_found: [400, 'invalid_request'],
  conflict: [400, 'invalid_request'],
  forbidden: [403, 'access_denied'],
  payload_too_large: [413, 'invalid_request'],
  unsupported_media_type: [415, 'invalid_request'],
  rate_limited: [429, 'too_many_attempts'],
  unavailable: [503, 'temporarily_unavailable'],
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
