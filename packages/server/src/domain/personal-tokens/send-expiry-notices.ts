import type { Clock } from '../clock.js';
import type { Random } from '../random.js';
import type { Storage } from '../storage.js';
import type { NoticeKind } from './personal-token.js';
import { enqueuePersonalTokenNotice } from './personal-token-mail.js';

const DAY_MS = 86_400_000;

/** Each notice goes out once the expiry is this close, and not once a closer one is due. */
const WINDOWS: readonly { kind: NoticeKind; from: number; to: number }[] = [
  { kind: 'expiry_7d', from: DAY_MS, to: 7 * DAY_MS },
  { kind: 'expiry_1d', from: 0, to: DAY_MS },
];

/**
 * The daily job: emails the owners of records expiring within 7 days and within 1 day. Each notice is
 * claimed on the record (a conditional update) in the same transaction that queues the mail, so however
 * many instances run the job, at whatever times, each notice is sent exactly once. Returns how many were sent.
 */
export async function sendExpiryNotices(deps: { readonly storage: Pick<Storage, 'personalTokens' | 'transaction'>; readonly clock: Clock; readonly random: Random; readonly issuer: string }): Promise<number> {
  const now = deps.clock.now();
  let sent = 0;
  for (const window of WINDOWS) {
    for (;;) {
      const due = await deps.storage.personalTokens.dueForNotice(window.kind, now + window.from, now + window.to, 100);
      for (const record of due) {
        await deps.storage.transaction(async (tx) => {
          if (!(await tx.personalTokens.claimNotice(record.id, window.kind, now))) return;
          const owner = await tx.users.get(record.userId);
          if (owner && owner.disabledAt === null) await enqueuePersonalTokenNotice(tx, { ...deps, now }, window.kind, record, owner);
          sent++;
        });
      }
      if (due.length < 100) break;
    }
  }
  return sent;
}
