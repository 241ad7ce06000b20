import type { FastifyInstance } from 'fastify';
import { authenticateClient, type AuthenticateClientDeps } from '../../domain/clients/authenticate-client.js';
import { required } from '../../domain/oauth/form-parameters.js';
import { revokeToken, type RevokeDeps } from '../../domain/oauth/revoke-token.js';
import type { Metrics } from '../../metrics/metrics.js';
import { clientCredentials } from './client-credentials.js';
import { formOf } from './form-body.js';
import { noStore } from './no-store.js';
import { REVOKE_SCHEMA } from '@latchkey/contract';

export interface RevokeRouteDeps extends AuthenticateClientDeps, RevokeDeps {
  /** Resolves once every worker's denylist holds what this process revoked. */
  readonly settleWrites: () => Promise<void>;
}

/** POST /oauth/revoke (RFC 7009): an authenticated client revokes a token issued to it. */
export function registerRevokeRoute(app: FastifyInstance, deps: RevokeRouteDeps, metrics: Metrics): void {
  app.post('/oauth/revoke', { schema: REVOKE_SCHEMA }, async (request, reply) => {
    const params = formOf(request);
    const caller = await authenticateClient(deps, clientCredentials(request.headers.authorization, params));
    const revoked = await revokeToken(deps, caller, required(params, 'token'));
    metrics.revocation(revoked);
    if (revoked) {
      request.log.info({ client_id: caller.client.clientId }, 'token revoked');
      // Revoked here at once; in a cluster, in every worker before the 200.
      await deps.settleWrites();
    }
    // RFC 7009 §2.2: 200 whether or not there was anything to revoke.
    return noStore(reply).code(200).send();
  });
}
