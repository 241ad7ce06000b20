import { describe, expect, it } from 'vitest';
import type { CoreCounters } from './cpu-accounting.mjs';
import { NOISE_LIMIT, assessNoise, rerunAdvice } from './noise-check.mjs';

const counters = (entries: Array<[number, CoreCounters]>) => new Map(entries);
const zero = { busy: 0, idle: 0, steal: 0 };

describe('assessNoise', () => {
  it('counts, per pinned core, the busy time that is not the measured process, as a share of the interval', () => {
    const before = counters([[0, zero], [1, zero]]);
    // 1000 ticks each. Core 0: the server 900, something else 50. Core 1: the load generator 600, others 150.
    const after = counters([[0, { busy: 950, idle: 50, steal: 0 }], [1, { busy: 750, idle: 250, steal: 0 }]]);
    const reading = assessNoise(before, after, [
      { cores: [0], role: 'server', measuredTicks: 900 },
      { cores: [1], role: 'loadgen', measuredTicks: 600 },
    ]);
    expect(reading.unmeasured).toBe(false);
    expect(reading.groups.map((g) => [g.otherShare, g.idleShare, g.noisy])).toEqual([
      [0.05, 0.05, false],
      [0.15, 0.25, true],
    ]);
    expect(reading.noisy).toBe(true);
  });

  it('counts the hypervisor’s steal as noise too', () => {
    const after = counters([[0, { busy: 900, idle: 0, steal: 100 }]]);
    const [server] = assessNoise(counters([[0, zero]]), after, [{ cores: [0], role: 'server', measuredTicks: 880 }]).groups;
    expect(server).toMatchObject({ stealShare: 0.1, noisy: true });
    expect(server?.noiseShare).toBeCloseTo(0.12, 12);
  });

  it('is not noisy at exactly the limit, and is above it', () => {
    const after = counters([[0, { busy: 1000, idle: 0, steal: 0 }]]);
    const at = assessNoise(counters([[0, zero]]), after, [{ cores: [0], role: 'server', measuredTicks: 1000 * (1 - NOISE_LIMIT) }]);
    const above = assessNoise(counters([[0, zero]]), after, [{ cores: [0], role: 'server', measuredTicks: 1000 * (1 - NOISE_LIMIT) - 1 }]);
    expect([at.noisy, above.noisy]).toEqual([false, true]);
  });

  it('takes no negative noise when the process counters run a tick ahead of the core’s', () => {
    const after = counters([[0, { busy: 500, idle: 500, steal: 0 }]]);
    const [server] = assessNoise(counters([[0, zero]]), after, [{ cores: [0], role: 'server', measuredTicks: 503 }]).groups;
    expect(server?.otherShare).toBe(0);
  });

  it('unpinned, measures the cores together, in units of one core', () => {
    const after = counters([[0, { busy: 900, idle: 100, steal: 0 }], [1, { busy: 700, idle: 300, steal: 0 }]]);
    // Server and load generator together 1300 ticks out of 1600 busy: 300 ticks of others, 30% of one core.
    const [both] = assessNoise(counters([[0, zero], [1, zero]]), after, [{ cores: [0, 1], role: 'both', measuredTicks: 1300 }]).groups;
    expect(both).toMatchObject({ otherShare: 0.3, idleShare: 0.4, noisy: true });
  });

  it('says when a core could not be read, and then calls nothing noisy', () => {
    const reading = assessNoise(new Map(), new Map(), [{ cores: [0], role: 'server', measuredTicks: 10 }]);
    expect(reading).toEqual({ groups: [], noisy: false, unmeasured: true });
  });
});

describe('rerunAdvice', () => {
  it('names the settings that wait for quiet and repeat noisy passes, with more than this run used', () => {
    expect(rerunAdvice({ waitQuietSeconds: 0, noiseRepeats: 2 })).toContain('BENCH_WAIT_QUIET=120');
    expect(rerunAdvice({ waitQuietSeconds: 300, noiseRepeats: 3 })).toMatch(/BENCH_WAIT_QUIET=600 .*BENCH_NOISE_REPEATS=6/);
  });
});
