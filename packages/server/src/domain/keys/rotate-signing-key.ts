import type { Clock } from '../clock.js';
import type { Storage } from '../storage.js';
import { auditActor, type Actor } from '../actor.js';
import type { ServerKeyring } from '../secrets/server-key.js';
import { generateSigningKey } from './generate-signing-key.js';
import { keyStatuses, type KeyPolicy, type SigningAlg, type SigningKeyRecord } from './signing-key.js';

export interface SigningKeyDeps {
  readonly storage: Storage;
  readonly clock: Clock;
  readonly serverKeys: ServerKeyring;
  readonly policy: KeyPolicy;
  readonly alg: SigningAlg;
}

export interface RotationResult {
  /** The key that signs from `activatesAt` on. */
  readonly kid: string;
  readonly activatesAt: number;
  /** The freshly published standby key, for the rotation after this one. */
  readonly standbyKid: string;
  /** Emergency rotation only: the key revoked at once. */
  readonly revokedKid: string | null;
}

const isStandby = (k: SigningKeyRecord): boolean => k.activatesAt === null && k.revokedAt === null;

/**
 * Rotates the signing key without a verifier ever meeting an unknown kid: the standby key (published since
 * its creation) starts signing as soon as it has been published for `publishLeadMs` (at once, normally),
 * the previous key keeps verifying until its tokens have expired, and a new standby key is published.
 *
 * `emergency`: a new key signs at once and the current one (and the standby) are revoked, leaving JWKS
 * immediately; tokens it signed stop verifying (that is the point when it is compromised).
 */
export interface RotateSigningKeyInput {
  readonly actor: Actor;
  readonly emergency?: boolean;
}

export async function rotateSigningKey(deps: SigningKeyDeps, input: RotateSigningKeyInput): Promise<RotationResult> {
  return deps.storage.transaction(async (tx) => {
    await tx.lockExclusive();
    const now = deps.clock.now();
    const records = await tx.keys.list();
    const current = keyStatuses(records, now, deps.policy).find((s) => s.state === 'current')?.record ?? null;
    let kid: string;
    let activatesAt: number;
    let revokedKid: string | null = null;
    // One standby at a time: the oldest becomes the next signer (or, in an emergency, is discarded with the
    // compromised key, whose store it shares); any others never signed and leave JWKS now.
    const standbys = records.filter(isStandby).sort((a, b) => a.createdAt - b.createdAt);
    const kept = input.emergency ? undefined : standbys[0];
    for (const extra of standbys) if (extra !== kept) await tx.keys.revoke(extra.kid, now);
    if (input.emergency) {
      const fresh = generateSigningKey(deps.alg, deps.serverKeys, { createdAt: now, activatesAt: now });
      await tx.keys.insert(fresh);
      if (current) {
        await tx.keys.revoke(current.kid, now);
        revokedKid = current.kid;
      }
      ({ kid } = fresh);
      activatesAt = now;
    } else {
      if (kept) {
        activatesAt = Math.max(now, kept.createdAt + deps.policy.publishLeadMs);
        await tx.keys.setActivation(kept.kid, activatesAt);
        kid = kept.kid;
      } else {
        activatesAt = now + deps.policy.publishLeadMs;
        const scheduled = generateSigningKey(deps.alg, deps.serverKeys, { createdAt: now, activatesAt });
        await tx.keys.insert(scheduled);
        kid = scheduled.kid;
      }
    }
    const standby = generateSigningKey(deps.alg, deps.serverKeys, { createdAt: now, activatesAt: null });
    await tx.keys.insert(standby);
    await tx.audit.append({
      at: now,
      ...auditActor(input.actor),
      action: input.emergency ? 'signing_key.rotated_emergency' : 'signing_key.rotated',
      target: `signing_key:${kid}`,
      details: { activates_at: new Date(activatesAt).toISOString(), previous: current?.kid ?? null, revoked: revokedKid, standby: standby.kid },
    });
    return { kid, activatesAt, standbyKid: standby.kid, revokedKid };
  });
}

/**
 * On start: make sure a key signs and a standby is published. The very first key signs at once (no
 * verifier can have cached anything yet). Safe to run from several processes at once.
 */
export async function ensureSigningKeys(deps: SigningKeyDeps): Promise<SigningKeyRecord[]> {
  return deps.storage.transaction(async (tx) => {
    await tx.lockExclusive();
    const now = deps.clock.now();
    const records = await tx.keys.list();
    const statuses = keyStatuses(records, now, deps.policy);
    const signingOrScheduled = statuses.some((s) => s.state === 'current' || (s.state === 'next' && s.record.activatesAt !== null));
    if (!signingOrScheduled) {
      const first = generateSigningKey(deps.alg, deps.serverKeys, { createdAt: now, activatesAt: now });
      await tx.keys.insert(first);
      await tx.audit.append({ at: now, actor: 'system', address: null, action: 'signing_key.created', target: `signing_key:${first.kid}`, details: { alg: deps.alg } });
    }
    if (!records.some(isStandby)) {
      await tx.keys.insert(generateSigningKey(deps.alg, deps.serverKeys, { createdAt: now, activatesAt: null }));
    }
    return tx.keys.list();
  });
}
