import type { Command } from 'commander';
import { CLI_ACTOR } from '../domain/actor.js';
import { createAdmin } from '../domain/users/create-admin.js';
import { createService } from '../domain/catalog/create-service.js';
import { createApplication } from '../domain/applications/create-application.js';
import { DomainError } from '../domain/errors.js';
import { serviceAudience } from '../domain/catalog/service.js';
import { listServices } from '../domain/catalog/list-services.js';
import { action } from './command-action.js';
import { collect } from './service-option.js';
import { isoOrNull, table } from './output.js';

function audiences(values: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    values.map((v) => {
      const eq = v.indexOf('=');
      if (eq <= 0) throw new DomainError('bad_request', `--audience ${v}: expected ENV=URI, such as prod=https://api.example.org/email`);
      return [v.slice(0, eq), v.slice(eq + 1)];
    }),
  );
}

export function registerCatalogCommands(program: Command): void {
  const admin = program.command('admin').description('system administrators');
  admin
    .command('create')
    .description('create a system administrator (roles admin, token_admin, pat)')
    .requiredOption('--email <email>', 'the administrator\'s email address')
    .requiredOption('--password <password>', 'at least 12 characters')
    .option('--name <name>', 'display name (default: the part of the email before @)')
    .action(
      action(program, async (rt, out, opts: { email: string; password: string; name?: string }) => {
        const user = await createAdmin(rt, { ...opts, actor: CLI_ACTOR });
        out.result({ id: user.id, email: user.email, name: user.name, roles: user.roles }, `created administrator ${user.email} (${user.id})`);
      }),
    );

  const service = program.command('service').description('the catalog of APIs clients get access to');
  service
    .command('create')
    .description('add a service with its scopes')
    .requiredOption('--key <key>', 'short identifier, e.g. email (lower-case letters, digits, -)')
    .requiredOption('--name <name>', 'display name, e.g. "Email Service"')
    .option('--description <text>', 'what the service does', '')
    .option('--scopes <list>', 'comma-separated scopes it defines, e.g. email:send,email:read', '')
    .option('--audience <env=uri>', 'its own audience URI in an environment (repeatable); default urn:latchkey:service:<key>:<env>', collect, [])
    .action(
      action(program, async (rt, out, opts: { key: string; name: string; description: string; scopes: string; audience: string[] }) => {
        const scopes = opts.scopes.split(',').map((s) => s.trim()).filter((s) => s !== '').map((name) => ({ name, description: '' }));
        const created = await createService(
          { storage: rt.storage, clock: rt.clock, environments: rt.config.environments },
          { actor: CLI_ACTOR, key: opts.key, name: opts.name, description: opts.description, scopes, audiences: audiences(opts.audience) },
        );
        const auds = Object.fromEntries(rt.config.environments.map((env) => [env, serviceAudience(created, env)]));
        out.result(
          { key: created.key, name: created.name, scopes: created.scopes.map((s) => s.name), audiences: auds },
          `created service ${created.key} with scopes ${created.scopes.map((s) => s.name).join(' ') || '(none)'}`,
        );
      }),
    );
  service
    .command('list')
    .description('list the services')
    .action(
      action(program, async (rt, out) => {
        const services = await listServices(rt, { includeRetired: true });
        out.result(
          { items: services.map((s) => ({ key: s.key, name: s.name, scopes: s.scopes.map((x) => x.name), retired_at: isoOrNull(s.retiredAt) })) },
          services.length === 0 ? 'no services yet: latchkey service create --key K --name N --scopes a,b' : table([['KEY', 'NAME', 'SCOPES'], ...services.map((s) => [s.key, s.name, s.scopes.map((x) => x.name).join(' ')])]),
        );
      }),
    );

  const app = program.command('app').description('applications (teams\' accounts)');
  app
    .command('create')
    .description('create an application, approved at once')
    .requiredOption('--acronym <acronym>', '2-16 letters or digits, unique regardless of case')
    .option('--name <name>', 'full name')
    .option('--description <text>', 'what it is')
    .action(
      action(program, async (rt, out, opts: { acronym: string; name?: string; description?: string }) => {
        const created = await createApplication(rt, { ...opts, status: 'approved', actor: CLI_ACTOR });
        out.result({ id: created.id, acronym: created.acronym, name: created.name, status: created.status }, `created application ${created.acronym} (approved)`);
      }),
    );
  app
    .command('list')
    .description('list applications')
    .action(
      action(program, async (rt, out) => {
        const apps = await rt.storage.applications.list();
        out.result(
          { items: apps.map((a) => ({ acronym: a.acronym, name: a.name, status: a.status, created_at: isoOrNull(a.createdAt) })) },
          apps.length === 0 ? 'no applications yet' : table([['ACRONYM', 'STATUS', 'NAME'], ...apps.map((a) => [a.acronym, a.status, a.name])]),
        );
      }),
    );
}
