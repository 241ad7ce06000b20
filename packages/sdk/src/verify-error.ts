/**
 * The stable reason a token was refused by {@link Verifier.verify}, or (`missing_token`, `invalid_request`)
 * why a request carried none the adapters could read.
 *
 * @example
 * ```ts
 * const code: VerifyErrorCode = 'token_expired';
 * ```
 */
export type VerifyErrorCode =
  | 'missing_token'
  | 'invalid_request'
  | 'invalid_token'
  | 'token_expired'
  | 'token_not_yet_valid'
  | 'issuer_mismatch'
  | 'audience_mismatch'
  | 'insufficient_scope'
  | 'token_revoked'
  | 'revocation_state_stale'
  | 'discovery_failed';

/** HTTP status and RFC 6750 §3.1 `error` of each code (none: no error attribute, RFC 6750 §3.1). */
const WIRE: Record<VerifyErrorCode, { readonly status: 400 | 401 | 403 | 503; readonly error?: string }> = {
  missing_token: { status: 401 },
  invalid_request: { status: 400, error: 'invalid_request' },
  invalid_token: { status: 401, error: 'invalid_token' },
  token_expired: { status: 401, error: 'invalid_token' },
  token_not_yet_valid: { status: 401, error: 'invalid_token' },
  issuer_mismatch: { status: 401, error: 'invalid_token' },
  audience_mismatch: { status: 401, error: 'invalid_token' },
  insufficient_scope: { status: 403, error: 'insufficient_scope' },
  token_revoked: { status: 401, error: 'invalid_token' },
  revocation_state_stale: { status: 503 },
  discovery_failed: { status: 503 },
};

/** RFC 6750 §3: `error_description` and `scope` allow %x20-21 / %x23-5B / %x5D-7E: no quote, no backslash. */
const quoted = (value: string): string => `"${value.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, "'")}"`;

/**
 * A token was refused. `code` is stable (switch on it); `status` (400/401/403/503), `wwwAuthenticate` (the
 * RFC 6750 §3 `WWW-Authenticate` value) and `body()` (`{ error, error_description }`) make the answer.
 *
 * @example
 * ```ts
 * try {
 *   const principal = await verifier.verify(token);
 * } catch (error) {
 *   if (!(error instanceof VerifyError)) throw error;
 *   response.writeHead(error.status, { 'www-authenticate': error.wwwAuthenticate, 'content-type': 'application/json' });
 *   response.end(JSON.stringify(error.body()));
 * }
 * ```
 */
export class VerifyError extends Error {
  override readonly name = 'VerifyError';
  readonly code: VerifyErrorCode;
  readonly status: 400 | 401 | 403 | 503;
  /** The scopes a 403 asks for (`insufficient_scope`). */
  readonly scope: readonly string[] | undefined;
  readonly realm: string | undefined;

  constructor(code: VerifyErrorCode, message: string, options: { readonly scope?: readonly string[]; readonly realm?: string | undefined; readonly cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = WIRE[code].status;
    this.scope = options.scope;
    this.realm = options.realm;
  }

  /** The RFC 6750 §3 `error` attribute (`invalid_token`, `insufficient_scope`, `invalid_request`), if any. */
  get error(): string | undefined {
    return WIRE[this.code].error;
  }

  /** The `WWW-Authenticate` header value, e.g. `Bearer realm="api", error="invalid_token", error_description="…"`. */
  get wwwAuthenticate(): string {
    const attributes: string[] = [];
    if (this.realm !== undefined) attributes.push(`realm=${quoted(this.realm)}`);
    const error = this.error;
    if (error) {
      attributes.push(`error=${quoted(error)}`, `error_description=${quoted(this.message)}`);
      if (this.scope?.length) attributes.push(`scope=${quoted(this.scope.join(' '))}`);
    }
    return attributes.length ? `Bearer ${attributes.join(', ')}` : 'Bearer';
  }

  /**
   * The JSON body of the answer, `{ error, error_description }`: `error` is the RFC 6750 one
   * (`invalid_token`, `insufficient_scope`, `invalid_request`), `missing_token` without a token, and
   * `temporarily_unavailable` for a 503.
   */
  body(): { error: string; error_description: string } {
    return { error: this.error ?? (this.status === 503 ? 'temporarily_unavailable' : this.code), error_description: this.message };
  }
}
