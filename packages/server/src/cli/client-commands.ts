import type { Command } from 'commander';
import { CLI_ACTOR } from '../domain/actor.js';
import { createClient } from '../domain/clients/create-client.js';
import { rotateClientSecret } from '../domain/clients/rotate-client-secret.js';
import { setClientEnabled } from '../domain/clients/set-client-enabled.js';
import { DomainError } from '../domain/errors.js';
import type { Client } from '../domain/clients/client.js';
import { action } from './command-action.js';
import { collect, parseServiceOption } from './service-option.js';
import { isoOrNull, table } from './output.js';

function describe(client: Client): Record<string, unknown> {
  return {
    client_id: client.clientId,
    application: client.acronym,
    env: client.env,
    enabled: client.enabled,
    token_ttl: client.tokenTtl,
    grants: client.grants,
    created_at: isoOrNull(client.createdAt),
    rotated_at: isoOrNull(client.rotatedAt),
    last_used_at: isoOrNull(client.lastUsedAt),
    secrets: client.secrets.map((s) => ({ created_at: isoOrNull(s.createdAt), expires_at: isoOrNull(s.expiresAt), last_used_at: isoOrNull(s.lastUsedAt) })),
  };
}

function seconds(value: string, name: string): number {
  if (!/^\d+$/.test(value)) throw new DomainError('bad_request', `${name} ${value}: expected a whole number of seconds`);
  return Number(value);
}

export function registerClientCommands(program: Command): void {
  const client = program.command('client').description('client credentials, one per application and environment');
  client
    .command('create')
    .description('create the client of an application in an environment; prints the secret once')
    .requiredOption('--app <acronym>', 'the application')
    .requiredOption('--env <env>', 'the environment, e.g. dev')
    .requiredOption('--service <key[:scope,scope]>', 'a service to grant, optionally limited to some of its scopes (repeatable)', collect, [])
    .option('--ttl <seconds>', 'access-token lifetime (default 600)')
    .addHelpText('after', '\nExample:\n  latchkey client create --app BILLING --env dev --service email:email:send --service docgen\n  (the first ":" ends the service key; scopes may contain ":")')
    .action(
      action(program, async (rt, out, opts: { app: string; env: string; service: string[]; ttl?: string }) => {
        const created = await createClient(
          { storage: rt.storage, clock: rt.clock, random: rt.random, serverKeys: rt.serverKeys, environments: rt.config.environments },
          {
            actor: CLI_ACTOR,
            acronym: opts.app,
            env: opts.env,
            services: opts.service.map(parseServiceOption),
            ...(opts.ttl === undefined ? {} : { tokenTtl: seconds(opts.ttl, '--ttl') }),
          },
        );
        const tokenEndpoint = `${rt.config.issuer}/oauth/token`;
        out.result(
          { client_id: created.client.clientId, client_secret: created.clientSecret, token_endpoint: tokenEndpoint, ...describe(created.client) },
          [
            `client_id:     ${created.client.clientId}`,
            `client_secret: ${created.clientSecret}`,
            `token_endpoint: ${tokenEndpoint}`,
            '',
            'The secret is shown this once; store it now. Latchkey keeps only a hash of it.',
          ].join('\n'),
        );
      }),
    );
  client
    .command('list')
    .description('list clients (never their secrets)')
    .option('--app <acronym>', 'only this application\'s')
    .action(
      action(program, async (rt, out, opts: { app?: string }) => {
        const clients = await rt.storage.clients.list(opts.app === undefined ? {} : { acronym: opts.app });
        out.result(
          { items: clients.map(describe) },
          clients.length === 0
            ? 'no clients'
            : table([
                ['CLIENT_ID', 'APP', 'ENV', 'ENABLED', 'GRANTS', 'LAST USED'],
                ...clients.map((c) => [c.clientId, c.acronym, c.env, c.enabled ? 'yes' : 'no', c.grants.map((g) => g.service).join(','), isoOrNull(c.lastUsedAt) ?? 'never']),
              ]),
        );
      }),
    );
  client
    .command('rotate-secret')
    .description('generate a new secret; the old one stops at once unless --grace gives an overlap')
    .argument('<client_id>')
    .option('--grace <seconds>', 'seconds the previous secret keeps working', '0')
    .action(
      action(program, async (rt, out, clientId: string, opts: { grace: string }) => {
        const rotated = await rotateClientSecret(
          { storage: rt.storage, clock: rt.clock, random: rt.random, serverKeys: rt.serverKeys, maxSecretGraceSeconds: rt.config.maxSecretGraceSeconds },
          { actor: CLI_ACTOR, clientId, graceSeconds: seconds(opts.grace, '--grace') },
        );
        out.result(
          { client_id: rotated.clientId, client_secret: rotated.clientSecret, previous_secrets_expire_at: isoOrNull(rotated.previousSecretsExpireAt) },
          `client_secret: ${rotated.clientSecret}\nThe previous secret stops working at ${isoOrNull(rotated.previousSecretsExpireAt)}. The new one is shown this once.`,
        );
      }),
    );
  for (const enabled of [false, true]) {
    client
      .command(enabled ? 'enable' : 'disable')
      .description(enabled ? 'let a disabled client get tokens again' : 'refuse the client\'s token requests and make its tokens inactive at introspection')
      .argument('<client_id>')
      .action(
        action(program, async (rt, out, clientId: string) => {
          await setClientEnabled(rt, { actor: CLI_ACTOR, clientId, enabled });
          out.result({ client_id: clientId, enabled }, `${clientId} ${enabled ? 'enabled' : 'disabled'}`);
        }),
      );
  }
}
