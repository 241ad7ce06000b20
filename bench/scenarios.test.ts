import { describe, expect, it } from 'vitest';
import { RATIO_PAIRS, TARGET_NAMES, basicAuthorization, roundOrder, standInCredentials } from './scenarios.mjs';

describe('roundOrder', () => {
  it('starts each round one target further on, so the servers alternate through the run', () => {
    const order = [0, 1, 2, 3].map((round) => roundOrder(['a', 'b', 'c'], round).join(' '));
    expect(order).toEqual(['a b c', 'b c a', 'c a b', 'a b c']);
    expect([0, 1, 2, 3].map((round) => roundOrder(['a', 'b'], round).join(' ')).join(' ')).toBe('a b b a a b b a');
  });
});

describe('the scenarios', () => {
  it('compares Latchkey with the limit and the peer, against the aims', () => {
    expect(TARGET_NAMES).toEqual(['latchkey', 'baseline', 'limit', 'peer']);
    expect(RATIO_PAIRS.map((p) => [p.of, p.over, p.aim])).toEqual([
      ['latchkey', 'limit', 0.75],
      ['latchkey', 'peer', 3],
      ['latchkey', 'baseline', null],
    ]);
  });

  it('form-encodes the credentials before Base64 (RFC 6749 §2.3.1)', () => {
    const header = basicAuthorization('app dev', 'a:b');
    expect(Buffer.from(header.slice('Basic '.length), 'base64').toString()).toBe('app+dev:a%3Ab');
  });

  it('makes stand-in credentials of the shape Latchkey issues', () => {
    const { clientId, clientSecret } = standInCredentials();
    expect(clientId).toMatch(/^bench-dev-[0-9a-f]{12}$/);
    expect(clientSecret).toMatch(/^lks_[\w-]{49}$/);
  });
});
