import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BenchError } from './bench-error.mjs';
import { readSettings } from './settings.mjs';

const targets = ['latchkey', 'baseline', 'limit', 'peer'];
const usual = ['latchkey', 'limit', 'peer'];

describe('readSettings', () => {
  it('defaults to three rounds of 15 s with 32 connections against every target', () => {
    expect(readSettings({}, targets)).toEqual({
      seconds: 15,
      warmupSeconds: 3,
      connections: 32,
      rounds: 3,
      waitQuietSeconds: 0,
      noiseRepeats: 2,
      targets: usual,
      cpuProfDir: null,
      scenarios: ['token', 'open-loop', 'dialects', 'introspection', 'workers', 'sdk'],
      clientCounts: [1000, 1000000],
      clientSpread: 'zipf',
      freshTokens: 4000 * 18,
      openLoopRate: null,
      baseline: null,
    });
  });

  it('adds the baseline target when BENCH_BASELINE names a built checkout, and only then', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-baseline-'));
    expect(() => readSettings({ BENCH_BASELINE: dir }, targets)).toThrow(/there is no packages\/server\/dist\/cli\/main.js; build that checkout first/);
    mkdirSync(join(dir, 'packages/server/dist/cli'), { recursive: true });
    writeFileSync(join(dir, 'packages/server/dist/cli/main.js'), '');
    expect(readSettings({ BENCH_BASELINE: dir }, targets)).toMatchObject({ targets, baseline: { dir, cli: join(dir, 'packages/server/dist/cli/main.js') } });
    expect(() => readSettings({ BENCH_TARGETS: 'latchkey,baseline' }, targets)).toThrow(/set BENCH_BASELINE/);
  });

  it('reads the scenarios and the many-clients settings', () => {
    const env = { BENCH_SCENARIOS: 'clients', BENCH_CLIENTS: '1000, 1_000_000', BENCH_CLIENT_SPREAD: 'uniform', BENCH_FRESH_TOKENS: '500', BENCH_OPEN_LOOP_RATE: '1200' };
    expect(readSettings(env, targets)).toMatchObject({ scenarios: ['clients'], clientCounts: [1000, 1000000], clientSpread: 'uniform', freshTokens: 500, openLoopRate: 1200 });
    expect(() => readSettings({ BENCH_SCENARIOS: 'token,latency' }, targets)).toThrow(/unknown scenario "latency"/);
    expect(() => readSettings({ BENCH_CLIENTS: '1k' }, targets)).toThrow(/BENCH_CLIENTS: "1k"/);
    expect(() => readSettings({ BENCH_CLIENT_SPREAD: 'pareto' }, targets)).toThrow(/BENCH_CLIENT_SPREAD=pareto/);
  });

  it('reads every setting', () => {
    const env = { BENCH_SECONDS: '5', BENCH_ROUNDS: '1', BENCH_NOISE_REPEATS: '0', BENCH_WAIT_QUIET: '60', BENCH_TARGETS: 'limit, peer', BENCH_CPU_PROF_DIR: '/tmp/prof' };
    expect(readSettings(env, targets)).toMatchObject({ seconds: 5, rounds: 1, noiseRepeats: 0, waitQuietSeconds: 60, targets: ['limit', 'peer'], cpuProfDir: '/tmp/prof' });
  });

  it('names the bad variable', () => {
    expect(() => readSettings({ BENCH_ROUNDS: '0' }, targets)).toThrow(new BenchError('BENCH_ROUNDS=0 is not valid: expected a whole number ≥ 1'));
    expect(() => readSettings({ BENCH_SECONDS: '1.5' }, targets)).toThrow(/BENCH_SECONDS/);
    expect(() => readSettings({ BENCH_TARGETS: 'latchkey,nginx' }, targets)).toThrow(/unknown target "nginx"/);
  });
});
