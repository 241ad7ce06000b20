import { describe, expect, it } from 'vitest';
import { BenchError } from './bench-error.mjs';
import { readSettings } from './settings.mjs';

const targets = ['latchkey', 'limit', 'peer'];

describe('readSettings', () => {
  it('defaults to three rounds of 15 s with 32 connections against every target', () => {
    expect(readSettings({}, targets)).toEqual({
      seconds: 15,
      warmupSeconds: 3,
      connections: 32,
      rounds: 3,
      waitQuietSeconds: 0,
      noiseRepeats: 2,
      targets,
      cpuProfDir: null,
    });
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
