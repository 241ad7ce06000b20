import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode } from '../../../domain/errors.js';
import { asDomainError } from '../dialect-body.js';

/**
 * The access-token dialect's documented codes: 400 invalid scope, 401 bad credentials, 404 unknown
 * client_id, 412 validation errors, 503 service failure; plus 429 when an address keeps failing.
 */
const MAPPING: Record<ErrorCode, readonly [number, string]> = {
  bad_request: [412, 'validation_error'],
  bad_credentials: [401, 'invalid_credentials'],
  unsupported_grant: [412, 'validation_error'],
  grant_not_allowed: [401, 'invalid_credentials'],
  scope_not_allowed: [400, 'invalid_scope'],
  bad_grant: [401, 'invalid_credentials'],
  resource_not_allowed: [400, 'invalid_scope'],
  not_found: [404, 'client_not_found'],
  conflict: [412, 'validation_error'],
  forbidden: [401, 'invalid_credentials'],
  payload_too_large: [413, 'payload_too_large'],
  unsupported_media_type: [412, 'validation_error'],
  rate_limited: [429, 'too_many_requests'],
  unavailable: [503, 'service_unavailable'],
};

/** The one serializer of access-token errors: `{status, error, message, fields?}`. */
export function sendAccessTokenError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  reply.header('cache-control', 'no-store');
  const known = asDomainError(error);
  if (!known) {
    request.log.error({ err: error }, 'unexpected error on the access-token dialect');
    return reply.code(500).send({ status: 500, error: 'server_error', message: `an unexpected error occurred; quote request id ${request.id} to the operator` });
  }
  const [status, code] = MAPPING[known.code];
  if (known.retryAfterSeconds !== undefined) reply.header('retry-after', String(known.retryAfterSeconds));
  return reply.code(status).send({ status, error: code, message: known.message, ...(known.fields.length > 0 ? { fields: known.fields } : {}) });
}
