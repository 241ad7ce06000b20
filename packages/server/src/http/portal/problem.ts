import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Problem, PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_PREFIX } from '@latchkey/contract';
import { isDomainError, type ErrorCode, type FieldIssue } from '../../domain/errors.js';

/**
 * RFC 9457 problem details (the `Problem` schema of @latchkey/contract), the one wire format of portal API
 * errors. Nothing internal (causes, stacks, SQL) is ever serialised.
 */
const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  bad_credentials: 401,
  unsupported_grant: 400,
  grant_not_allowed: 403,
  scope_not_allowed: 400,
  bad_grant: 401,
  resource_not_allowed: 400,
  not_found: 404,
  conflict: 409,
  forbidden: 403,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
};

const TITLES: Readonly<Record<number, string>> = {
  400: 'The request is not valid',
  401: 'Authentication is needed',
  403: 'Not allowed',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict with the current state',
  413: 'The request is too large',
  415: 'Unsupported content type',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Temporarily unavailable',
};

interface ProblemResponse {
  readonly description: string;
  readonly content: { readonly [PROBLEM_CONTENT_TYPE]: { readonly schema: typeof Problem } };
}

/**
 * The problem responses a route can give, for its schema: `response: { 200: X, ...problems(400, 401) }`.
 * Keyed by media type, so OpenAPI says application/problem+json; Fastify serialises a reply by the
 * schema of its content type, which sendProblem sets.
 */
export function problems(...statuses: number[]): Record<number, ProblemResponse> {
  return Object.fromEntries(statuses.map((s) => [s, { description: TITLES[s] ?? 'Error', content: { [PROBLEM_CONTENT_TYPE]: { schema: Problem } } }]));
}

export function sendProblem(
  reply: FastifyReply,
  status: number,
  code: string,
  detail: string,
  extra: { fields?: readonly FieldIssue[]; retryAfterSeconds?: number | undefined } = {},
): FastifyReply {
  const body: Problem = { type: `${PROBLEM_TYPE_PREFIX}${code}`, title: TITLES[status] ?? 'Error', status, detail };
  if (extra.fields && extra.fields.length > 0) body.fields = [...extra.fields];
  // RFC 6750 §3 / RFC 9110 §11.6.1: a 401 names the scheme that would work.
  if (status === 401) reply.header('www-authenticate', 'Bearer realm="latchkey"');
  if (extra.retryAfterSeconds !== undefined) {
    body.retry_after = Math.max(1, Math.ceil(extra.retryAfterSeconds));
    reply.header('retry-after', String(body.retry_after));
  }
  return reply.code(status).type(PROBLEM_CONTENT_TYPE).send(body);
}

interface AjvIssue {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** `/services/0/key` → `services[0].key`, the notation domain validation uses too. */
function fieldName(context: string | undefined, path: string, child: unknown): string {
  const parts = path.split('/').filter((p) => p !== '').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (typeof child === 'string') parts.push(child);
  const name = parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc === '' ? p : `${acc}.${p}`), '');
  return name === '' ? (context === 'body' ? 'body' : (context ?? 'request')) : name;
}

function validationFields(error: FastifyError & { validation?: AjvIssue[]; validationContext?: string }): FieldIssue[] {
  return (error.validation ?? []).map((issue) => {
    const params = issue.params ?? {};
    const child = params.missingProperty ?? params.additionalProperty;
    let message = issue.message ?? 'is not valid';
    if (issue.keyword === 'required') message = 'is required';
    if (issue.keyword === 'additionalProperties') message = 'is not a known field; remove it';
    if (issue.keyword === 'enum' && Array.isArray(params.allowedValues)) message = `must be one of ${params.allowedValues.join(', ')}`;
    if (issue.keyword === 'format') message = `must be a valid ${String(params.format)}`;
    return { field: fieldName(error.validationContext, issue.instancePath ?? '', child), message };
  });
}

/** The portal scope's error handler: domain errors, validation and parsing failures, anything else (500). */
export function sendErrorAsProblem(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (isDomainError(error)) {
    const status = STATUS[error.code];
    if (status >= 500) request.log.warn({ err: error }, 'portal request failed: dependency unavailable');
    return sendProblem(reply, status, error.code, error.message, { fields: error.fields, retryAfterSeconds: error.retryAfterSeconds });
  }
  const fastifyError = error as FastifyError & { validation?: AjvIssue[]; validationContext?: string };
  if (Array.isArray(fastifyError.validation)) {
    const fields = validationFields(fastifyError);
    const detail = `fix these fields and send again: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}`;
    return sendProblem(reply, 400, 'bad_request', detail, { fields });
  }
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    const detail =
      fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? `content type ${request.headers['content-type'] ?? '(none)'} is not accepted: send application/json`
        : fastifyError.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
          ? 'the body is empty: send a JSON object'
          : fastifyError.message;
    return sendProblem(reply, status, status === 415 ? 'unsupported_media_type' : status === 413 ? 'payload_too_large' : 'bad_request', detail);
  }
  request.log.error({ err: error }, 'unexpected error in the portal API');
  return sendProblem(reply, 500, 'internal', `an unexpected error occurred; quote request id ${request.id}`);
}
