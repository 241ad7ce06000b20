/**
 * The one error hierarchy of the domain. Each wire format (OAuth JSON, problem+json, a legacy dialect)
 * has exactly one mapper from these codes to its own shape; the message is for the person who must fix
 * the request, and the cause (if any) goes to the log only.
 */
export type ErrorCode =
  /** The request is malformed: a missing, duplicated or invalid parameter. */
  | 'bad_request'
  /** Authentication failed: unknown client, wrong secret, disabled client (all alike, on purpose). */
  | 'bad_credentials'
  /** The grant type is not one this server implements. */
  | 'unsupported_grant'
  /** The authenticated party may not use this grant type. */
  | 'grant_not_allowed'
  /** A requested scope is unknown or not granted. */
  | 'scope_not_allowed'
  /** Resource-owner credentials (a user's email and password) are wrong: RFC 6749 `invalid_grant`. */
  | 'bad_grant'
  /** A requested resource (RFC 8707) is unknown or not granted. */
  | 'resource_not_allowed'
  | 'not_found'
  | 'conflict'
  | 'forbidden'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  /** A dependency (the database) is unreachable; retrying later may succeed. */
  | 'unavailable';

export interface FieldIssue {
  /** The parameter or JSON pointer of the offending input. */
  readonly field: string;
  readonly message: string;
}

export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly code: ErrorCode;
  readonly fields: readonly FieldIssue[];
  /** With `rate_limited`: when the caller may try again (becomes a Retry-After header). */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { fields?: readonly FieldIssue[]; cause?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.fields = options.fields ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
