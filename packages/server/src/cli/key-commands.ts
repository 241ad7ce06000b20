import type { Command } from 'commander';
import { CLI_ACTOR } from '../domain/actor.js';
import { rotateSigningKey } from '../domain/keys/rotate-signing-key.js';
import { keyStatuses } from '../domain/keys/signing-key.js';
import { action } from './command-action.js';
import { isoOrNull, table } from './output.js';

export function registerKeyCommands(program: Command): void {
  const keys = program.command('keys').description('token signing keys');
  keys
    .command('list')
    .description('list signing keys with their state (next, current, retiring, retired)')
    .action(
      action(program, async (rt, out) => {
        const statuses = keyStatuses(await rt.storage.keys.list(), rt.clock.now(), rt.keyPolicy, await rt.storage.personalTokens.liveGenerations(rt.clock.now()));
        const items = statuses.map((s) => ({
          kid: s.record.kid,
          alg: s.record.alg,
          state: s.state,
          created_at: isoOrNull(s.record.createdAt),
          activates_at: isoOrNull(s.record.activatesAt),
          retires_at: isoOrNull(s.retiresAt),
        }));
        out.result({ items }, table([['KID', 'ALG', 'STATE', 'SIGNS FROM', 'LEAVES JWKS'], ...items.map((k) => [k.kid, k.alg, k.state, k.activates_at ?? '-', k.retires_at ?? '-'])]));
      }),
    );
  keys
    .command('rotate')
    .description('switch signing to the published standby key and publish a new standby; the old key verifies until its tokens expire')
    .option('--now', 'emergency (key compromised): sign with a brand-new key at once and revoke the current one; its tokens stop verifying')
    .action(
      action(program, async (rt, out, opts: { now?: boolean }) => {
        const result = await rotateSigningKey(rt.signingKeyDeps, { actor: CLI_ACTOR, emergency: opts.now === true });
        const when = isoOrNull(result.activatesAt);
        const delayed = result.activatesAt > rt.clock.now() + 1000;
        out.result(
          { kid: result.kid, activates_at: when, standby_kid: result.standbyKid, revoked_kid: result.revokedKid },
          [
            delayed
              ? `key ${result.kid} signs from ${when}: it must be published for the JWKS cache lifetime first, so no verifier meets an unknown kid`
              : `key ${result.kid} signs now`,
            result.revokedKid ? `key ${result.revokedKid} was revoked: tokens it signed no longer verify` : 'the previous key keeps verifying until its tokens have expired',
            `standby key ${result.standbyKid} is published for the next rotation`,
          ].join('\n'),
        );
      }),
    );
}
