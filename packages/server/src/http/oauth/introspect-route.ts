import type { FastifyInstance, FastifyReply } from 'fastify';
import { required } from '../../domain/oauth/form-parameters.js';
import type { Introspection } from '../../domain/oauth/introspect-token.js';
import type { Metrics } from '../../metrics/metrics.js';
import type { UseCases } from '../../use-cases.js';
import { clientCredentials } from './client-credentials.js';
import { formOf } from './form-body.js';
import { sendNoStoreJson } from './direct-reply.js';
import { INTROSPECT_SCHEMA } from '@latchkey/contract';

type IntrospectUseCases = Pick<UseCases, 'authenticateClient' | 'introspectToken'>;

/**
 * POST /oauth/introspect (RFC 7662): for an authenticated client, whether a token is active and its claims.
 * Not an async function, like POST /oauth/token: a cached caller asking about an application's token
 * whose client is cached is answered in this call; errors thrown here reach the OAuth error handler.
 */
export function registerIntrospectRoute(app: FastifyInstance, useCases: IntrospectUseCases, metrics: Metrics): void {
  app.post('/oauth/introspect', { schema: INTROSPECT_SCHEMA }, (request, reply) => {
    const params = formOf(request);
    const caller = useCases.authenticateClient(clientCredentials(request.headers.authorization, params));
    if (caller instanceof Promise) return caller.then(() => introspect(useCases, metrics, reply, required(params, 'token')));
    return introspect(useCases, metrics, reply, required(params, 'token'));
  });
}

function introspect(useCases: IntrospectUseCases, metrics: Metrics, reply: FastifyReply, token: string): void | Promise<void> {
  const introspection = useCases.introspectToken(token);
  if (introspection instanceof Promise) return introspection.then((answer) => send(metrics, reply, answer));
  send(metrics, reply, introspection);
}

// The JSON of each answer object: an active token seen again (the same object) is not serialised again.
const texts = new WeakMap<Introspection, string>();

function send(metrics: Metrics, reply: FastifyReply, introspection: Introspection): void {
  metrics.introspection(introspection.active);
  let text = texts.get(introspection);
  if (text === undefined) {
    text = JSON.stringify(introspection);
    texts.set(introspection, text);
  }
  sendNoStoreJson(reply, text);
}
