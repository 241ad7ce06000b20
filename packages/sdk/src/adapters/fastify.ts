import type { Verifier } from '../verifier.js';
import { VerifyError } from '../verify-error.js';
export { principalOf } from './principal.js';
import { principalResolverNow, guardScopes, PRINCIPAL, REALM, type AdapterOptions, type MarkedRequest } from './principal.js';

/**
 * The parts of a Fastify request the hook uses; it sets `principal` (declare it once with
 * `app.decorateRequest('principal', null)` so every request has the same shape).
 *
 * @example
 * ```ts
 * app.get('/me', { preHandler: auth }, async (request) => ({ sub: principalOf(request).subject }));
 * ```
 */
export type FastifyLikeRequest = MarkedRequest;

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
 * import { latchkeyFastify, principalOf, requireScopes } from '@latchkey/sdk/fastify';
 *
 * const app = Fastify();
 * app.decorateRequest('principal', null);
 * app.addHook('preHandler', latchkeyFastify(createVerifier({ issuer, audience: 'urn:latchkey:service:email:prod' })));
 * app.post('/send', { preHandler: requireScopes('email:send') }, async (request) => ({ from: principalOf(request).subject }));
 * ```
 */
export function latchkeyFastify(verifier: Verifier, options: AdapterOptions = {}): FastifyPreHandler {
  const resolve = principalResolverNow(verifier, options);
  const property = options.property === undefined ? 'principal' : options.property;
  return async (request, reply) => {
    request[REALM] = verifier.realm;
    try {
      const found = resolve(request);
      // Awaited only when it is a promise: a cached or fast-path token costs this hook's promise alone.
      const principal = found instanceof Promise ? await found : found;
      request[PRINCIPAL] = principal;
      if (property) Reflect.set(request, property, principal);
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
      guardScopes(request, scopes);
    } catch (error) {
      if (error instanceof VerifyError) return refuse(reply, error);
      throw error;
    }
    return undefined;
  };
}
