import type { Command } from 'commander';
import { CLI_ACTOR } from '../domain/actor.js';
import { listLockouts } from '../domain/users/list-lockouts.js';
import { action } from './command-action.js';
import { isoOrNull, table } from './output.js';

export function registerLockoutCommands(program: Command): void {
  const lockouts = program.command('lockouts').description('login lock-outs after repeated failed logins');
  lockouts
    .command('list')
    .description('list lock-outs in force: an account from an address (pair), or every account from an address')
    .action(
      action(program, async (rt, out) => {
        const items = (await listLockouts(rt, { actor: CLI_ACTOR })).map((l) => ({
          scope: l.scope,
          account: l.account,
          address: l.address,
          failures: l.failures,
          locked_at: isoOrNull(l.lockedAt),
          locked_until: isoOrNull(l.lockedUntil),
        }));
        out.result(
          { items },
          items.length === 0
            ? 'no lock-outs in force'
            : table([['SCOPE', 'ACCOUNT', 'ADDRESS', 'FAILURES', 'LOCKED UNTIL'], ...items.map((l) => [l.scope, l.account ?? '*', l.address, String(l.failures), l.locked_until ?? '-'])]),
        );
      }),
    );
}
