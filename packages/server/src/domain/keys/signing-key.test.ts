import { describe, expect, it } from 'vitest';
import { keyStatuses, nextKeyTransition, type SigningKeyRecord } from './signing-key.js';

const policy = { publishLeadMs: 1_000, retainMs: 10_000 };

function key(kid: string, createdAt: number, activatesAt: number | null, revokedAt: number | null = null): SigningKeyRecord {
  return {
    kid,
    alg: 'ES256',
    publicJwk: { kty: 'EC', crv: 'P-256', x: kid, y: kid, kid, alg: 'ES256', use: 'sig' },
    encryptedPrivateKey: '',
    createdAt,
    activatesAt,
    revokedAt,
  };
}

const stateOf = (records: SigningKeyRecord[], now: number): Record<string, string> =>
  Object.fromEntries(keyStatuses(records, now, policy).map((s) => [s.record.kid, s.state]));

describe('signing key states, derived from their times', () => {
  it('has the newest activated key current and an unscheduled key as next', () => {
    expect(stateOf([key('a', 0, 0), key('b', 0, null)], 5)).toEqual({ a: 'current', b: 'next' });
  });

  it('keeps a superseded key retiring for the retention time, then retires it', () => {
    const records = [key('a', 0, 0), key('b', 0, 100)];
    expect(stateOf(records, 50)).toEqual({ a: 'current', b: 'next' });
    expect(stateOf(records, 100)).toEqual({ a: 'retiring', b: 'current' });
    expect(stateOf(records, 100 + 9_999)).toEqual({ a: 'retiring', b: 'current' });
    expect(stateOf(records, 100 + 10_000)).toEqual({ a: 'retired', b: 'current' });
  });

  it('retires a revoked key at once, even the newest', () => {
    expect(stateOf([key('a', 0, 0), key('b', 1, 1, 2)], 3)).toEqual({ a: 'current', b: 'retired' });
  });

  it('names the next moment a state changes, so processes switch keys on time without an event', () => {
    const statuses = keyStatuses([key('a', 0, 0), key('b', 0, 100)], 50, policy);
    expect(nextKeyTransition(statuses, 50)).toBe(100);
    const later = keyStatuses([key('a', 0, 0), key('b', 0, 100)], 200, policy);
    expect(nextKeyTransition(later, 200)).toBe(10_100);
  });

  it('keeps a superseded key published while a live long-lived token it signed can still be valid, no longer', () => {
    const records = [key('a', 0, 0), key('b', 0, 100)];
    const signedByA = { generatedAt: 50, expiresAt: 500_000 };
    const signedByB = { generatedAt: 100_000, expiresAt: 900_000 }; // past A's window and its margin
    const at = (now: number, generations = [signedByA, signedByB]): string =>
      keyStatuses(records, now, policy, generations).find((s) => s.record.kid === 'a')?.state ?? '';
    expect(at(100 + 10_000)).toBe('retiring');
    expect(at(499_999)).toBe('retiring');
    expect(at(500_000)).toBe('retired');
    // A's only long-lived token gone (revoked, expired, replaced): A leaves with the short-lived ones.
    expect(at(100 + 10_000, [signedByB])).toBe('retired');
    expect(nextKeyTransition(keyStatuses(records, 20_000, policy, [signedByA]), 20_000)).toBe(500_000);
  });
});

