import { describe, expect, it } from 'vitest';
import { pass } from './fixtures.js';
import type { PassFigures } from './measure-pass.mjs';
import { fmt, formatReport, pct, table } from './report.mjs';
import { RATIO_PAIRS } from './scenarios.mjs';
import { ratios, summarize } from './statistics.mjs';

const targets = ['latchkey', 'limit', 'peer'];
const pinned = { pinned: true, reason: null };
const settings = { waitQuietSeconds: 0, noiseRepeats: 2 };

function report(rounds: Array<Record<string, PassFigures>>, pinning: { pinned: boolean; reason: string | null } = pinned) {
  return formatReport({ targets, rounds, summary: summarize(rounds, targets), ratios: ratios(rounds, RATIO_PAIRS), pairs: RATIO_PAIRS, pinning, settings });
}

const latency: Array<[number, number]> = [[3.2, 50], [3.9, 49], [7.25, 1]];

function round(peerNoise: [number, number] = [0.01, 0.02]): Record<string, PassFigures> {
  return {
    latchkey: pass({ tokensPerSecond: 8000, cpuMicrosPerToken: 120, latency }),
    limit: pass({ tokensPerSecond: 10000, cpuMicrosPerToken: 100, latency }),
    peer: pass({ tokensPerSecond: 2000, cpuMicrosPerToken: 500, latency, noise: peerNoise }),
  };
}

describe('formatReport', () => {
  it('prints medians over the rounds, one line per target, and both ratios against their aims', () => {
    expect(report([round(), round(), round()])).toBe(
      [
        '',
        'medians of 3 rounds',
        'target    tokens/s  CPU µs/token  p50 ms  p99 ms  server CPU  other on core 0  other on core 1  loadgen CPU  noisy',
        '────────  ────────  ────────────  ──────  ──────  ──────────  ───────────────  ───────────────  ───────────  ─────',
        'latchkey     8,000         120.0    3.20    3.90        100%               1%               2%          50%',
        'limit       10,000         100.0    3.20    3.90        100%               1%               2%          50%',
        'peer         2,000         500.0    3.20    3.90        100%               1%               2%          50%',
        '',
        "latchkey / limit  throughput 0.80 (aim ≥ 0.75: met);  CPU per token 1.20× the limit's (throughput ratio at a full core each: 0.83)",
        "latchkey / peer   throughput 4.00 (aim ≥ 3: met);  CPU per token 0.24× the peer's (throughput ratio at a full core each: 4.17)",
        '',
        'Absolute figures move with the machine; compare the ratios, which come from one run on one machine.',
      ].join('\n'),
    );
  });

  it('marks noisy figures, prints no ratio drawn from them, and says which passes and how to rerun', () => {
    const text = report([round(), round([0.04, 0.23]), round()]);
    const lines = text.split('\n');
    expect(lines.find((l) => l.startsWith('peer'))).toMatch(/50%  NOISY 1 of 3$/);
    expect(lines.find((l) => l.startsWith('latchkey / limit'))).toMatch(/throughput 0\.80 \(aim ≥ 0\.75: met\)/);
    expect(lines.find((l) => l.startsWith('latchkey / peer'))).toBe('latchkey / peer   no ratio: 1 of the 6 passes it compares were noisy');
    expect(text).toContain(
      'NOISY: in 1 of 9 measured passes, processes other than the server under test and its load generator took more than 10% of a measured core: ' +
        'peer in round 2 (core 1: 23%). Those figures are marked, and no ratio is drawn from them.',
    );
    expect(text).toContain('To get ratios, rerun on a quiet machine');
    expect(text).not.toMatch(/latchkey \/ peer +throughput/);
  });

  it('leaves out the rounds line for one round, and says when the run was unpinned', () => {
    const text = report([round()], { pinned: false, reason: '`taskset` is not installed' });
    expect(text).not.toContain('medians of');
    expect(text).toContain('WARNING: this run was UNPINNED: `taskset` is not installed');
  });
});

describe('the cells', () => {
  it('formats numbers, shares and missing values', () => {
    expect([fmt(1234.5, 1), fmt(null, 2), fmt(Number.NaN, 0), pct(0.456), pct(null)]).toEqual(['1,234.5', '–', '–', '46%', '–']);
  });

  it('aligns the first column left and the others right', () => {
    expect(table([['a', 'bb'], ['ccc', 'd']])).toBe('a    bb\n───  ──\nccc   d');
  });
});

describe('a row measured on other cores', () => {
  it('gets a column of its own, blank in the other rows', () => {
    const both = pass({ tokensPerSecond: 9000, cpuMicrosPerToken: 200 });
    both.noise = { groups: [{ cores: [0, 1], role: 'both', otherShare: 0.05, stealShare: 0, idleShare: 0, noiseShare: 0.05, noisy: false }], noisy: false, unmeasured: false };
    const rounds = [{ latchkey: pass({ tokensPerSecond: 8000, cpuMicrosPerToken: 120 }), 'latchkey 2 workers': both }];
    const keys = ['latchkey', 'latchkey 2 workers'];
    const text = formatReport({ targets: keys, rounds, summary: summarize(rounds, keys), ratios: {}, pairs: [], pinning: pinned, settings });
    const [, header = '', , one = '', two = ''] = text.split('\n');
    const end = (line: string, cell: string) => line.indexOf(cell) + cell.length;
    expect(header).toMatch(/other on core 0 {2}other on core 1 {2}other on cores 0-1/);
    expect(end(one, ' 2%')).toBe(end(header, 'other on core 1'));
    expect(end(two, ' 5%')).toBe(end(header, 'other on cores 0-1'));
    expect(one.slice(end(header, 'other on core 1'), end(header, 'other on cores 0-1')).trim()).toBe('');
  });
});
