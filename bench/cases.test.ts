import { describe, expect, it } from 'vitest';
import { clientsKey, countLabel, ratioPairs, selectCases } from './cases.mjs';

const all = ['latchkey', 'limit', 'peer'];

describe('selectCases', () => {
  it('runs the default scenarios closed-loop first, the open-loop passes last', () => {
    const keys = selectCases(['token', 'open-loop', 'dialects', 'introspection', 'workers'], all, [1000]).map((c) => c.key);
    expect(keys).toEqual([
      'latchkey', 'limit', 'peer',
      'latchkey authenticate', 'latchkey access-token',
      'latchkey introspect', 'latchkey introspect fresh', 'limit introspect', 'limit introspect seen', 'peer introspect',
      'latchkey 2 workers',
      'latchkey open-loop', 'limit open-loop', 'peer open-loop',
    ]);
  });

  it('brings the base Latchkey pass along for the scenarios measured against it', () => {
    expect(selectCases(['dialects'], all, []).map((c) => c.key)).toEqual(['latchkey', 'latchkey authenticate', 'latchkey access-token']);
    expect(selectCases(['clients'], all, [1000, 1000000]).map((c) => [c.key, c.clients])).toEqual([
      ['latchkey 1k clients', 1000],
      ['latchkey 1M clients', 1000000],
    ]);
  });

  it('keeps to the chosen targets; the peer introspects the opaque tokens it stores', () => {
    const cases = selectCases(['introspection'], ['peer'], []);
    expect(cases).toEqual([{ key: 'peer introspect', scenario: 'introspection', target: 'peer', request: 'introspect', env: { BENCH_PEER_TOKEN_FORMAT: 'opaque' } }]);
  });
});

describe('the baseline target', () => {
  it('gets the token, access-token and introspection passes, each paired with Latchkey’s', () => {
    const cases = selectCases(['token', 'dialects', 'introspection'], ['latchkey', 'baseline', 'limit'], []);
    expect(cases.filter((c) => c.target === 'baseline').map((c) => c.key)).toEqual(['baseline', 'baseline access-token', 'baseline introspect']);
    expect(ratioPairs(cases, []).filter((p) => p.over.startsWith('baseline')).map((p) => [p.of, p.over])).toEqual([
      ['latchkey', 'baseline'],
      ['latchkey access-token', 'baseline access-token'],
      ['latchkey introspect', 'baseline introspect'],
    ]);
  });
});

describe('ratioPairs', () => {
  it('pairs only cases that run, with the aims of the issue', () => {
    const cases = selectCases(['dialects', 'workers', 'clients'], all, [1000, 1000000]);
    expect(ratioPairs(cases, [1000, 1000000]).map((p) => [p.of, p.over, p.aim === null ? null : Number(p.aim.toFixed(3))])).toEqual([
      ['latchkey authenticate', 'latchkey', 0.909],
      ['latchkey access-token', 'latchkey', 0.909],
      ['latchkey 2 workers', 'latchkey', null],
      ['latchkey 1M clients', 'latchkey 1k clients', 0.9],
    ]);
  });

  it('labels client counts briefly', () => {
    expect([1000, 1000000, 2500, 100000].map(countLabel)).toEqual(['1k', '1M', '2,500', '100k']);
    expect(clientsKey(1000000)).toBe('latchkey 1M clients');
  });
});
