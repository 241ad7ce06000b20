import type { FastifyReply } from 'fastify';

/** RFC 6749 §5.1 and §5.2: token responses, and errors on these endpoints, must not be cached. */
export function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
}
