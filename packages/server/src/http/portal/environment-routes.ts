import { Type } from 'typebox';
import { ClientJson, CredentialJson as Credential, Decision, EnvironmentRegistrationBody as RegisterBody, EnvParams, RegenerateSecretBody } from '@latchkey/contract';
import { tokenEndpointOf } from '../../domain/environments/register-environment.js';
import type { Client } from '../../domain/clients/client.js';
import { actorOf, requireUser } from './authentication.js';
import type { PortalRoutes } from './portal-routes.js';
import { problems } from './problem.js';
import { exampleRequest, toClientJson, toEnvironmentJson } from './application-json.js';
import { environmentViews } from '../../domain/environments/environment-view.js';

/** A credential with its secret, as shown this once. */
function credentialJson(client: Client, clientSecret: string, tokenEndpoint: string) {
  return {
    env: client.env,
    status: 'approved' as const,
    message: 'copy the client secret now: it is shown this once',
    client_id: client.clientId,
    client_secret: clientSecret,
    token_endpoint: tokenEndpoint,
    example_request: exampleRequest(tokenEndpoint, client.clientId),
    client: toClientJson(client, tokenEndpoint),
  };
}

/** Registering an application's environments in order, deciding pending ones, regenerating secrets. */
export const registerEnvironmentRoutes: PortalRoutes = (app, deps) => {
  app.post(
    '/applications/:acronym/environments/:env',
    {
      onRequest: requireUser,
      schema: {
        operationId: 'registerEnvironment',
        tags: ['environments'],
        summary: 'Register the next environment (in configured order): 201 with the credential, or 202 when it waits for approval',
        params: EnvParams,
        body: RegisterBody,
        response: { 201: Credential, 202: Credential, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const result = await deps.useCases.registerEnvironment({ ...request.params, ...request.body, actor: actorOf(request) });
      if (result.status === 'pending') {
        return reply.code(202).send({
          env: result.registration.env,
          status: 'pending',
          message: `${result.registration.env} waits for an administrator's approval; you will be emailed, then generate its secret`,
          token_endpoint: tokenEndpointOf(deps.issuer),
        });
      }
      return reply.code(201).send(credentialJson(result.client, result.clientSecret, result.tokenEndpoint));
    },
  );

  app.post(
    '/applications/:acronym/environments/:env/approval',
    {
      onRequest: requireUser,
      schema: {
        operationId: 'decideEnvironment',
        tags: ['environments'],
        summary: 'Approve or reject a pending environment registration (administrators); the requester is emailed',
        params: EnvParams,
        body: Decision,
        response: { 200: Type.Object({ env: Type.String(), status: Type.String(), client: Type.Union([ClientJson, Type.Null()]) }), ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { registration, client } = await deps.useCases.decideEnvironment({ ...request.params, ...request.body, actor: actorOf(request) });
      const [view] = environmentViews([registration.env], deps.approvalEnvironments, [registration], client ? [client] : []);
      return view ? { ...toEnvironmentJson(view, tokenEndpointOf(deps.issuer)), env: registration.env, status: registration.status } : { env: registration.env, status: registration.status, client: null };
    },
  );

  app.post(
    '/applications/:acronym/environments/:env/secret',
    {
      onRequest: requireUser,
      // No body at all means the defaults, as `curl -X POST` sends it.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        operationId: 'regenerateEnvironmentSecret',
        tags: ['environments'],
        summary: 'Regenerate the client secret (shown once); the old one stops at once unless grace_seconds keeps it a while',
        params: EnvParams,
        body: RegenerateSecretBody,
        response: { 200: Credential, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const grace = request.body.grace_seconds;
      const result = await deps.useCases.regenerateSecret({ actor: actorOf(request), ...request.params, ...(grace === undefined ? {} : { graceSeconds: grace }) });
      return {
        ...credentialJson(result.client, result.clientSecret, result.tokenEndpoint),
        previous_secret_expires_at: new Date(result.previousSecretsExpireAt).toISOString(),
      };
    },
  );
};
