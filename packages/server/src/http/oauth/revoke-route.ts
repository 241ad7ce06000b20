import type { FastifyInstance } from 'fastify';
import { required } from '../../domain/oauth/form-parameters.js';
import type { Metrics } from '../../metrics/metrics.js';
import type { HttpDeps } from '../deps.js';
import { clientCredentials } from './client-credentials.js';
import { formOf } from './form-body.js';
import { noStore } from './no-store.js';
import { REVOKE_SCHEMA } from '@latchkey/contract';

/** POST /oauth/revoke (RFC 7009): an authenticated client revokes a token issued to it. */
export function registerRevokeRoute(app: FastifyInstance, deps: Pick<HttpDeps, 'useCases' | 'settleWrites'>, metrics: Metrics): void {
  app.post('/oauth/revoke', { schema: REVOKE_SCHEMA }, async (request, reply) => {
    const params = formOf(request);
    const caller = await deps.useCases.authenticateClient(clientCredentials(request.headers.authorization, params));
    const revoked = await deps.useCases.revokeToken({ caller, token: required(params, 'token') });
    metrics.revocation(revoked);
    if (revoked) {
      request.log.info({ client_id: caller.client.clientId }, 'token revoked');
      // Revoked here at once; in a cluster, in every worker's denylist before the 200.
      await deps.settleWrites();
    }
    // RFC 7009 §2.2: 200 whether or not there was anything to revoke.
    return noStore(reply).code(200).send();
  });
}
