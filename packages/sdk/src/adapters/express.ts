import type { Principal, Verifier } from '../verifier.js';
import { VerifyError } from '../verify-error.js';
export { principalOf } from './principal.js';
import { principalResolverNow, guardScopes, PRINCIPAL, REALM, type AdapterOptions, type MarkedRequest } from './principal.js';

/**
 * The parts of an Express (or Node `http`) request the middleware uses; it sets `principal`.
 *
 * @example
 * ```ts
 * app.get('/me', (req, res) => res.json({ sub: principalOf(req).subject }));
 * ```
 */
export type ExpressLikeRequest = MarkedRequest;

/**
 * The parts of an Express (or Node `http`) response the middleware uses to refuse a request.
 *
 * @example
 * ```ts
 * const response: ExpressLikeResponse = res;
 * ```
 */
export interface ExpressLikeResponse {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body: string): unknown;
}

/**
 * An Express middleware (`(req, res, next)`).
 *
 * @example
 * ```ts
 * const guard: ExpressMiddleware = requireScopes('email:send');
 * ```
 */
export type ExpressMiddleware = (req: ExpressLikeRequest, res: ExpressLikeResponse, next: (error?: unknown) => void) => void;

function refuse(res: ExpressLikeResponse, error: VerifyError): void {
  res.statusCode = error.status;
  res.setHeader('www-authenticate', error.wwwAuthenticate);
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(error.body()));
}

/**
 * Express middleware: verifies the `Authorization: Bearer` token and sets `req.principal`, or answers
 * 401/403/503 with the RFC 6750 `WWW-Authenticate` header and `{ error, error_description }`.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { createVerifier } from '@latchkey/sdk';
 * import { latchkeyExpress, principalOf, requireScopes } from '@latchkey/sdk/express';
 *
 * const app = express();
 * app.use(latchkeyExpress(createVerifier({ issuer, audience: 'urn:latchkey:service:email:prod' })));
 * app.post('/send', requireScopes('email:send'), (req, res) => res.json({ from: principalOf(req).subject }));
 * ```
 */
export function latchkeyExpress(verifier: Verifier, options: AdapterOptions = {}): ExpressMiddleware {
  const resolve = principalResolverNow(verifier, options);
  const property = options.property === undefined ? 'principal' : options.property;
  const accept = (req: ExpressLikeRequest, next: (error?: unknown) => void, principal: Principal): void => {
    req[PRINCIPAL] = principal;
    if (property) Reflect.set(req, property, principal);
    next();
  };
  const refused = (res: ExpressLikeResponse, next: (error?: unknown) => void, error: unknown): void => (error instanceof VerifyError ? refuse(res, error) : next(error));
  return (req, res, next) => {
    req[REALM] = verifier.realm;
    let found: Principal | Promise<Principal>;
    try {
      found = resolve(req);
    } catch (error) {
      return refused(res, next, error);
    }
    // Only a promise waits for a microtask: a cached or fast-path token goes on in this tick.
    if (found instanceof Promise) found.then((principal) => accept(req, next, principal), (error: unknown) => refused(res, next, error));
    else accept(req, next, found);
  };
}

/**
 * A per-route guard, after {@link latchkeyExpress}: answers 403 `insufficient_scope` unless the token holds
 * every scope given.
 *
 * @example
 * ```ts
 * app.post('/send', requireScopes('email:send'), sendHandler);
 * ```
 */
export function requireScopes(...scopes: string[]): ExpressMiddleware {
  return (req, res, next) => {
    try {
      guardScopes(req, scopes);
      next();
    } catch (error) {
      if (error instanceof VerifyError) refuse(res, error);
      else next(error);
    }
  };
}
