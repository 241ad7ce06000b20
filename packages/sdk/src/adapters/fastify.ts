import type { Principal, Verifier } from '../verifier.js';
import { VerifyError } from '../verify-error.js';
import { checkScopes, createPrincipalResolver, REALM, type HeaderSource } from './principal.js';

/**
 * The parts of a Fastify request the hook uses; it sets `principal` (declare it once with
 * `app.decorateRequest('principal', null)` so every request has the same shape).
 *
 * @example
 * ```ts
 * app.get('/me', { preHandler: auth }, async (request) => ({ sub: (request as FastifyLikeRequest).principal?.subject }));
 * ```
 */
export interface FastifyLikeRequest {
  readonly headers: HeaderSource;
  principal?: Principal | null;
  [REALM]?: string;
}

/**
 * The parts of a Fastify reply the hook uses to refuse a request.
 *
 * @example
 * ```ts
 * const reply: FastifyLikeReply = fastifyReply;
 * ```
 */
export interface FastifyLikeReply {
  code(statusCode: number): this;
  header(name: string, value: string): this;
  send(payload: unknown): this;
}

/**
 * A Fastify `preHandler` hook.
 *
 * @example
 * ```ts
 * const guard: FastifyPreHandler = requireScopes('email:send');
 * ```
 */
export type FastifyPreHandler = (request: FastifyLikeRequest, reply: FastifyLikeReply) => Promise<unknown>;

function refuse(reply: FastifyLikeReply, error: VerifyError): FastifyLikeReply {
  return reply.code(error.status).header('www-authenticate', error.wwwAuthenticate).header('cache-control', 'no-store').send(error.body());
}

/**
 * A Fastify `preHandler`: verifies the `Authorization: Bearer` token and sets `request.principal`, or
 * answers 401/403/503 with the RFC 6750 `WWW-Authenticate` header and `{ error, error_description }`.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { createVerifier } from '@latchkey/sdk';
 * import { latchkeyFastify, requireScopes } from '@latchkey/sdk/fastify';
 *
 * const app = Fastify();
 * app.decorateRequest('principal', null);
 * app.addHook('preHandler', latchkeyFastify(createVerifier({ issuer, audience: 'urn:latchkey:service:email:prod' })));
 * app.post('/send', { preHandler: requireScopes('email:send') }, async (request) => ({ from: request.principal.subject }));
 * ```
 */
export function latchkeyFastify(verifier: Verifier, options: { readonly requiredScopes?: readonly string[] } = {}): FastifyPreHandler {
  const resolve = createPrincipalResolver(verifier, options);
  return async (request, reply) => {
    request[REALM] = verifier.realm;
    try {
      request.principal = await resolve(request);
    } catch (error) {
      if (error instanceof VerifyError) return refuse(reply, error);
      throw error;
    }
    return undefined;
  };
}

/**
 * A per-route guard, after {@link latchkeyFastify}: answers 403 `insufficient_scope` unless the token holds
 * every scope given.
 *
 * @example
 * ```ts
 * app.post('/send', { preHandler: requireScopes('email:send') }, sendHandler);
 * ```
 */
export function requireScopes(...scopes: string[]): FastifyPreHandler {
  return async (request, reply) => {
    try {
      if (!request.principal) throw new VerifyError('missing_token', 'send the access token in an Authorization: Bearer header', { realm: request[REALM] });
      checkScopes(request.principal, scopes, request[REALM]);
    } catch (error) {
      if (error instanceof VerifyError) return refuse(reply, error);
      throw error;
    }
    return undefined;
  };
}
