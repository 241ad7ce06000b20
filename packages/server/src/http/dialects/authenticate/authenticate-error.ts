import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode } from '../../../domain/errors.js';
import { asDomainError } from '../dialect-body.js';

/** The authenticate dialect's statuses: 400 for a bad body (naming the field), 401 for bad credentials. */
const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  bad_credentials: 401,
  unsupported_grant: 400,
  grant_not_allowed: 403,
  scope_not_allowed: 403,
  bad_grant: 401,
  resource_not_allowed: 403,
  not_found: 401,
  conflict: 400,
  forbidden: 403,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
};

const TITLE: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/** The one serializer of authenticate-dialect errors: `{status, error, message, fields?}`. */
export function sendAuthenticateError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  reply.header('cache-control', 'no-store');
  const known = asDomainError(error);
  if (!known) {
    request.log.error({ err: error }, 'unexpected error on the authenticate dialect');
    return reply.code(500).send({ status: 500, error: 'Internal Server Error', message: `an unexpected error occurred; quote request id ${request.id} to the operator` });
  }
  const status = STATUS[known.code];
  if (known.retryAfterSeconds !== undefined) reply.header('retry-after', String(known.retryAfterSeconds));
  return reply.code(status).send({
    status,
    error: TITLE[status] ?? 'Error',
    message: known.message,
    ...(known.fields.length > 0 ? { fields: known.fields } : {}),
  });
}
