import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { required } from '../../domain/oauth/form-parameters.js';
import type { IssuedToken } from '../../domain/oauth/issue-client-token.js';
import type { Metrics } from '../../metrics/metrics.js';
import type { UseCases } from '../../use-cases.js';
import { presentedClientId, presentedCredentials } from './client-credentials.js';
import { formOf } from './form-body.js';
import { sendNoStoreJson, tokenResponse } from './direct-reply.js';
import { oauthErrorCode, sendOAuthError } from './oauth-error.js';
import { TOKEN_SCHEMA } from '@latchkey/contract';

/** POST /oauth/token: the grant named by `grant_type` (domain/oauth/grants), its answer or its error as RFC 6749 JSON. */
export function registerTokenRoute(app: FastifyInstance, { tokenGrant }: Pick<UseCases, 'tokenGrant'>, metrics: Metrics): void {
  // Not an async function: with a cached client the whole request is answered in this call, without a
  // promise per step (the hops cost more than the rest of the handler).
  app.post('/oauth/token', { schema: TOKEN_SCHEMA }, (request, reply) => {
    const params = formOf(request);
    let grantType = 'other';
    try {
      grantType = required(params, 'grant_type');
      const grant = tokenGrant(grantType);
      const credentials = presentedCredentials(request.headers.authorization, params, grant.clientAuthentication);
      const token = grant.handle({ credentials, params, address: request.ip });
      if (token instanceof Promise) {
        return token.then(
          (t) => succeed(metrics, grantType, reply, t),
          (error: unknown) => fail(metrics, grantType, request, reply, error),
        );
      }
      succeed(metrics, grantType, reply, token);
    } catch (error) {
      fail(metrics, grantType, request, reply, error);
    }
    return undefined;
  });
}

// `succeed` and `fail` answer through `reply` and return nothing, so Fastify sends nothing more. Module
// functions rather than per-request closures: the synchronous path allocates none.
// Their duration is measured for every route, from arrival to the last byte sent (http/request-observer.ts).
function succeed(metrics: Metrics, grant: string, reply: FastifyReply, token: IssuedToken): void {
  metrics.tokenRequest(grant, 'success');
  sendNoStoreJson(reply, tokenResponse(token));
}

function fail(metrics: Metrics, grant: string, request: FastifyRequest, reply: FastifyReply, error: unknown): void {
  const code = oauthErrorCode(error);
  metrics.tokenRequest(grant, code);
  if (code === 'invalid_client') request.log.info({ address: request.ip, client_id: presentedClientId(request.headers.authorization, formOf(request)) }, 'client authentication failed');
  sendOAuthError(error, request, reply);
}
