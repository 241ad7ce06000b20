import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * LATCHKEY_ACCESS_LOG. `off`: none. `errors`: responses with status 400 or more. `sampled`: every request,
 * except that only one in LATCHKEY_ACCESS_LOG_SAMPLE successful requests on the token path is logged (a
 * line per token would cost more than issuing it). `all`: every request.
 */
export const ACCESS_LOG_MODES = ['off', 'errors', 'sampled', 'all'] as const;
export type AccessLogMode = (typeof ACCESS_LOG_MODES)[number];

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route is on the token path (issuing, introspection, revocation): its successes are sampled. */
    readonly tokenPath?: boolean;
  }
}

/** Marks every route registered in `scope` (and its children) as on the token path. */
export function markTokenPath(scope: FastifyInstance): void {
  scope.addHook('onRoute', (route) => {
    route.config = { ...route.config, tokenPath: true };
  });
}

export interface AccessLogOptions {
  readonly mode: AccessLogMode;
  /** With `sampled`: one in this many successful token-path requests is logged. */
  readonly sample: number;
  readonly logger: FastifyBaseLogger;
}

/** Writes one line for a finished request, if the mode asks for it. */
export type AccessLog = (request: FastifyRequest, reply: FastifyReply, route: string, tokenPath: boolean, seconds: number) => void;

/** Null for `off`: nothing to call per request. */
export function createAccessLog(options: AccessLogOptions): AccessLog | null {
  if (options.mode === 'off') return null;
  // Asked for explicitly, so written whatever LATCHKEY_LOG_LEVEL says.
  const logger = options.logger.child({}, { level: 'info' });
  const { mode, sample } = options;
  let successes = 0;
  return (request, reply, route, tokenPath, seconds) => {
    const status = reply.statusCode;
    if (status < 400) {
      if (mode === 'errors') return;
      if (mode === 'sampled' && tokenPath && successes++ % sample !== 0) return;
    }
    // The route's pattern, not the URL: a query string may carry credentials (GET /Token).
    logger.info(
      { reqId: request.id, method: request.method, route, status, duration_ms: Math.round(seconds * 1e6) / 1e3, address: request.ip },
      'request',
    );
  };
}
