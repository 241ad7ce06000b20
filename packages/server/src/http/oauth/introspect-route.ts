import type { FastifyInstance } from 'fastify';
import { required } from '../../domain/oauth/form-parameters.js';
import type { Metrics } from '../../metrics/metrics.js';
import type { UseCases } from '../../use-cases.js';
import { clientCredentials } from './client-credentials.js';
import { formOf } from './form-body.js';
import { noStore } from './no-store.js';
import { INTROSPECT_SCHEMA } from '@latchkey/contract';

/** POST /oauth/introspect (RFC 7662): for an authenticated client, whether a token is active and its claims. */
export function registerIntrospectRoute(app: FastifyInstance, useCases: Pick<UseCases, 'authenticateClient' | 'introspectToken'>, metrics: Metrics): void {
  app.post('/oauth/introspect', { schema: INTROSPECT_SCHEMA }, async (request, reply) => {
    const params = formOf(request);
    await useCases.authenticateClient(clientCredentials(request.headers.authorization, params));
    const introspection = await useCases.introspectToken(required(params, 'token'));
    metrics.introspection(introspection.active);
    return noStore(reply).send(introspection);
  });
}
