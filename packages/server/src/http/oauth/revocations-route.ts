import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../domain/errors.js';
import type { HttpDeps } from '../deps.js';
import { basicCredentials } from './client-credentials.js';
import { noStore } from './no-store.js';
import { REVOCATIONS_SCHEMA } from '@latchkey/contract';

/**
 * GET /oauth/revocations (docs/revocation-feed.md): what a verifier of Latchkey JWTs must refuse, as a
 * snapshot, then deltas after a cursor, long-polled with `wait`. Any enabled client may read it, with
 * HTTP Basic only (a query string is no place for a secret).
 */
export function registerRevocationsRoute(app: FastifyInstance, deps: Pick<HttpDeps, 'useCases' | 'leaving'>): void {
  const { useCases } = deps;
  app.get('/oauth/revocations', { schema: REVOCATIONS_SCHEMA }, async (request, reply) => {
    const { authorization } = request.headers;
    if (authorization === undefined) {
      throw new DomainError('bad_credentials', 'client authentication is required: HTTP Basic (client_secret_basic); credentials in the query are not accepted');
    }
    await useCases.authenticateClient(basicCredentials(authorization));
    const query = (request.query ?? {}) as Record<string, unknown>;
    const answer = await useCases.readRevocations({ since: query.since, wait: query.wait });
    // Answered early because the process is leaving: the connection goes too, so the reader reconnects elsewhere.
    if (deps.leaving?.()) reply.header('connection', 'close');
    return noStore(reply).type('application/json').send(answer);
  });
}
