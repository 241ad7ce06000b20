import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The header a request id arrives in and is answered with. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** What a request id taken from a client or proxy may look like: short, and nothing that could forge a log line. */
const ACCEPTED_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/**
 * Fastify's `genReqId`: the `X-Request-Id` a proxy or client sent, when it is one safe token of at most 128
 * characters, so that one id follows a request through every hop's logs; else one of our own: a random
 * prefix per process (unique across workers and instances) and a counter (no randomness per request on
 * the token path).
 */
export function createRequestIdSource(): (request: IncomingMessage) => string {
  const prefix = randomBytes(6).toString('base64url');
  let counter = 0;
  return (request) => {
    const given = request.headers[REQUEST_ID_HEADER];
    if (typeof given === 'string' && ACCEPTED_ID.test(given)) return given;
    counter++;
    return `${prefix}-${counter.toString(36)}`;
  };
}
