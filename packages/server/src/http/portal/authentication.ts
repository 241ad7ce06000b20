import type { FastifyReply, FastifyRequest } from 'fastify';
import { userActor, type UserActor } from '../../domain/actor.js';
import { DomainError } from '../../domain/errors.js';
import { hasRole, mayWrite, PORTAL_WRITE_SCOPE, type Principal } from '../../domain/users/principal.js';
import type { Role } from '../../domain/users/user.js';
import type { HttpDeps } from '../deps.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who calls, or null (anonymous); set for every request in the portal scope before validation. */
    principal: Principal | null;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** `__Host-` pins the cookie to this origin (no Domain, Path=/, Secure): only possible over https. */
export function sessionCookieName(issuer: string): string {
  return issuer.startsWith('https:') ? '__Host-latchkey_session' : 'latchkey_session';
}

export function setSessionCookie(reply: FastifyReply, issuer: string, token: string, expiresAt: number): void {
  reply.setCookie(sessionCookieName(issuer), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: issuer.startsWith('https:'),
    expires: new Date(expiresAt),
  });
}

export function clearSessionCookie(reply: FastifyReply, issuer: string): void {
  reply.clearCookie(sessionCookieName(issuer), { path: '/', httpOnly: true, sameSite: 'lax', secure: issuer.startsWith('https:') });
}

function forbidden(message: string): DomainError {
  return new DomainError('forbidden', message);
}

/**
 * The same-origin guard: a browser sends the session cookie with requests other sites trigger, so an
 * unsafe request that is not bearer-authenticated is refused when the browser says it is cross-site
 * (`Sec-Fetch-Site`, Fetch Metadata) or its `Origin` is not the issuer's. Log-in and sign-up included
 * (no log-in CSRF). Non-browser clients send neither header and pass.
 */
function checkSameOrigin(request: FastifyRequest, issuerOrigin: string): void {
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site') throw forbidden('cross-site requests may not change anything here: use the portal itself, or a personal access token');
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== issuerOrigin) {
    throw forbidden(`requests from ${origin} may not change anything here: only ${issuerOrigin} may (or use a personal access token)`);
  }
}

/**
 * The portal scope's first hook: works out the principal (bearer token through `deps.authenticateBearer`,
 * else the session cookie; either reads the user from storage once), and applies the same-origin guard.
 */
export function authenticationHook(deps: HttpDeps) {
  const issuerOrigin = new URL(deps.issuer).origin;
  const cookieName = sessionCookieName(deps.issuer);
  return async (request: FastifyRequest): Promise<void> => {
    request.principal = null;
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      if (!match?.[1]) throw new DomainError('bad_credentials', 'the Authorization header must be "Bearer <personal access token>"');
      // The seam has read the user from storage already (roles as they are now): no second read here.
      const principal = deps.authenticateBearer ? await deps.authenticateBearer(match[1], request.ip) : null;
      if (!principal) throw new DomainError('bad_credentials', 'the bearer token is not valid: it is unknown, expired or revoked');
      request.principal = principal;
      return;
    }
    if (UNSAFE.has(request.method)) checkSameOrigin(request, issuerOrigin);
    const token = request.cookies[cookieName];
    if (token) request.principal = await deps.useCases.resolveSession({ token });
  };
}

/** The principal of a request that passed `requireUser` (a programming error otherwise). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new TypeError('principalOf() needs requireUser on the route');
  return request.principal;
}

/** Route hook: 401 without a principal; 403 when a read-only token tries to change something. */
export async function requireUser(request: FastifyRequest): Promise<void> {
  const principal = request.principal;
  if (!principal) throw new DomainError('bad_credentials', 'log in first (POST /api/v1/session) or send Authorization: Bearer <personal access token>');
  if (UNSAFE.has(request.method) && !mayWrite(principal)) {
    throw forbidden(`this personal access token may only read: changes need a token with the ${PORTAL_WRITE_SCOPE} scope`);
  }
}

/** Route hook: `requireUser`, and the role (checked against the user as stored now). */
export function requireRole(role: Role) {
  return async (request: FastifyRequest): Promise<void> => {
    await requireUser(request);
    if (!hasRole(principalOf(request), role)) throw forbidden(`this needs the ${role} role; an administrator can grant it`);
  };
}

/**
 * Who calls a route behind `requireUser`, as every use case takes it (`input.actor`): the user as stored
 * now, and the address the request came from.
 */
export function actorOf(request: FastifyRequest): UserActor {
  return userActor(principalOf(request).user, request.ip);
}
