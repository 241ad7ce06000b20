import type { FastifyRequest } from 'fastify';
import type { ActingUser } from '../../domain/users/acting-user.js';
import { principalOf } from './authentication.js';

/** The caller of a route behind `requireUser`, as the domain's use cases take it: the user as stored now, and the address. */
export function actingOf(request: FastifyRequest): ActingUser {
  return { user: principalOf(request).user, address: request.ip };
}
