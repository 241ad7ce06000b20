import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { INTROSPECT_SCHEMA, REVOKE_SCHEMA, TOKEN_SCHEMA } from '@latchkey/contract';
import { DomainError } from '../../domain/errors.js';
import { authenticateClient } from '../../domain/clients/authenticate-client.js';
import type { ResolvedClient } from '../../domain/clients/client-directory.js';
import { issueClientToken, type IssuedToken } from '../../domain/oauth/issue-client-token.js';
import { introspectToken } from '../../domain/oauth/introspect-token.js';
import { revokeToken } from '../../domain/oauth/revoke-token.js';
import { grantPasswordToken } from '../../domain/oauth/grant-password-token.js';
import type { HttpDeps } from '../deps.js';
import type { Metrics } from '../../metrics/metrics.js';
import { clientCredentials, presentedClientId } from './client-credentials.js';
import { FORM_BODY_LIMIT, parseForm, required, single, type FormParameters } from './form-body.js';
import { oauthErrorCode, sendOAuthError } from './oauth-error.js';
import { schemasDocumentOnly } from '../document-only-schemas.js';

/** A grant answers synchronously when it can (client_credentials with a cached client), else with a promise. */
type GrantHandler = (request: FastifyRequest, params: FormParameters) => IssuedToken | Promise<IssuedToken>;

/**
 * RFC 6749 §5.1 success body, written directly: the access token is base64url and the token type a
 * constant, so only the scope needs escaping, and a generic serializer would cost more than the rest.
 */
function tokenResponse(token: IssuedToken): string {
  return `{"access_token":"${token.accessToken}","token_type":"${token.tokenType}","expires_in":${token.expiresIn},"scope":${JSON.stringify(token.scope)}}`;
}

function formOf(request: FastifyRequest): FormParameters {
  return (request.body as FormParameters | undefined) ?? {};
}

function noStore(reply: FastifyReply): FastifyReply {
  // RFC 6749 §5.1: token responses must not be cached.
  return reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
}

/** RFC 8707 §2: each resource is an absolute URI without a fragment. */
function resources(params: FormParameters): string[] {
  const values = params.resource ?? [];
  for (const value of values) {
    if (!URL.canParse(value) || value.includes('#')) {
      throw new DomainError('resource_not_allowed', `resource "${value}" is not an absolute URI without a fragment`);
    }
  }
  return [...values];
}

/** POST /oauth/token, /oauth/introspect, /oauth/revoke: form bodies in, RFC 6749 JSON out, errors included. */
export function registerOAuthRoutes(app: FastifyInstance, deps: HttpDeps, metrics: Metrics, options: { tokenEndpoint: boolean }): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT }, (_req, body, done) => {
    try {
      done(null, parseForm(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.addContentTypeParser('*', { bodyLimit: FORM_BODY_LIMIT }, (request, _payload, done) => {
    const type = request.headers['content-type'] ?? '(none)';
    done(new DomainError('unsupported_media_type', `content type ${type} is not accepted here: send application/x-www-form-urlencoded`), undefined);
  });
  app.setErrorHandler((error, request, reply) => sendOAuthError(error, request, reply));
  schemasDocumentOnly(app);

  const authenticate = (request: FastifyRequest, params: FormParameters): ResolvedClient | Promise<ResolvedClient> =>
    authenticateClient(deps, clientCredentials(request.headers.authorization, params));

  const issueFor = (client: ResolvedClient, params: FormParameters): IssuedToken =>
    issueClientToken(deps, client, { scope: single(params, 'scope'), resources: resources(params) });

  const grants = new Map<string, GrantHandler>([
    [
      'client_credentials',
      (request, params) => {
        const client = authenticate(request, params);
        // A closure only when the client had to be read: the cached path allocates none.
        return client instanceof Promise ? client.then((c) => issueFor(c, params)) : issueFor(client, params);
      },
    ],
    [
      // RFC 6749 §4.3, for portal users. Client authentication is optional: without it the token is
      // first-party (aud = issuer, one hour); through a client it covers that client's audiences.
      'password',
      async (request, params) => {
        const client = request.headers.authorization !== undefined || params.client_id !== undefined ? await authenticate(request, params) : null;
        const login = { email: required(params, 'username'), password: required(params, 'password'), address: request.ip };
        return (await grantPasswordToken(deps, { ...login, client, scope: single(params, 'scope'), resources: resources(params) })).token;
      },
    ],
  ]);
  if (options.tokenEndpoint) registerTokenEndpoint(app, grants, metrics);

  app.post('/oauth/introspect', { schema: INTROSPECT_SCHEMA }, async (request, reply) => {
    const params = formOf(request);
    await authenticate(request, params);
    const token = required(params, 'token');
    const introspection = await introspectToken(deps, token);
    metrics.introspection(introspection.active);
    return noStore(reply).send(introspection);
  });

  app.post('/oauth/revoke', { schema: REVOKE_SCHEMA }, async (request, reply) => {
    const params = formOf(request);
    const caller = await authenticate(request, params);
    const token = required(params, 'token');
    const revoked = await revokeToken(deps, caller, token);
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

/** POST /oauth/token: one handler per grant type, looked up by `grant_type`. */
function registerTokenEndpoint(app: FastifyInstance, grants: ReadonlyMap<string, GrantHandler>, metrics: Metrics): void {
  const supported = [...grants.keys()].join(', ');

  // Not an async function: with a cached client the whole request is answered in this call, without a
  // promise per step (the hops cost more than the rest of the handler).
  app.post('/oauth/token', { schema: TOKEN_SCHEMA }, (request, reply) => {
    const params = formOf(request);
    let grant = 'other';
    try {
      const grantType = required(params, 'grant_type');
      grant = grantType;
      const handler = grants.get(grantType);
      if (!handler) throw new DomainError('unsupported_grant', `grant_type "${grantType}" is not supported; use one of: ${supported}`);
      const token = handler(request, params);
      if (token instanceof Promise) {
        return token.then(
          (t) => succeed(metrics, grant, reply, t),
          (error: unknown) => fail(metrics, grant, request, reply, error),
        );
      }
      succeed(metrics, grant, reply, token);
    } catch (error) {
      fail(metrics, grant, request, reply, error);
    }
    return undefined;
  });
}

// `succeed` and `fail` answer through `reply` and return nothing, so Fastify sends nothing more. Module
// functions rather than per-request closures: the synchronous path allocates none.
// Their duration is measured for every route, from arrival to the last byte sent (http/request-observer.ts).
function succeed(metrics: Metrics, grant: string, reply: FastifyReply, token: IssuedToken): void {
  metrics.tokenRequest(grant, 'success');
  noStore(reply).type('application/json; charset=utf-8').send(tokenResponse(token));
}

function fail(metrics: Metrics, grant: string, request: FastifyRequest, reply: FastifyReply, error: unknown): void {
  const code = oauthErrorCode(error);
  metrics.tokenRequest(grant, code);
  if (code === 'invalid_client') request.log.info({ address: request.ip, client_id: presentedClientId(request.headers.authorization, formOf(request)) }, 'client authentication failed');
  sendOAuthError(error, request, reply);
}
