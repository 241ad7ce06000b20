import type { Command } from 'commander';
import { CLI_ACTOR } from '../domain/actor.js';
import { DomainError } from '../domain/errors.js';
import { setUserRoles } from '../domain/users/set-user-roles.js';
import { normaliseEmail } from '../domain/users/user.js';
import { action } from './command-action.js';
import { table } from './output.js';

/** Roles from the command line: an operator can grant them before anyone uses the portal (and recover a lost admin). */
export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('portal users and their roles (admin, token_admin, pat)');
  user
    .command('roles')
    .description("replace a user's roles; takes effect on the user's next request in every instance")
    .requiredOption('--email <email>', "the user's email address")
    .requiredOption('--roles <list>', 'comma-separated roles, e.g. pat,token_admin (empty string: none)')
    .action(
      action(program, async (rt, out, opts: { email: string; roles: string }) => {
        const found = await rt.storage.users.getByEmail(normaliseEmail(opts.email));
        if (!found) throw new DomainError('not_found', `no user with email ${opts.email}: they must sign up in the portal first (latchkey user list shows who has)`);
        const roles = opts.roles.split(',').map((r) => r.trim()).filter((r) => r !== '');
        const result = await setUserRoles(rt, { actor: CLI_ACTOR, userId: found.id, roles });
        out.result(
          { id: result.user.id, email: result.user.email, roles: result.user.roles, granted: result.granted, removed: result.removed },
          `${result.user.email}: roles ${result.user.roles.join(', ') || '(none)'}`,
        );
      }),
    );
  user
    .command('list')
    .description('list users with their roles')
    .action(
      action(program, async (rt, out) => {
        const users = await rt.storage.users.list({ limit: 10_000 });
        const items = users.map((u) => ({ id: u.id, email: u.email, name: u.name, roles: u.roles, disabled: u.disabledAt !== null }));
        out.result({ items }, items.length === 0 ? 'no users yet: people sign up in the portal' : table([['EMAIL', 'ROLES', 'DISABLED'], ...items.map((u) => [u.email, u.roles.join(',') || '-', u.disabled ? 'yes' : 'no'])]));
      }),
    );
}
