// Figures of made-up passes for the statistics and report tests: only what those read is meaningful.
import type { PassFigures } from './measure-pass.mjs';
import type { GroupNoise } from './noise-check.mjs';
import { summarizeLatency } from './statistics.mjs';

export interface PassShape {
  tokensPerSecond: number;
  cpuMicrosPerToken: number;
  /** Noise share of core 0 and core 1 (the server's and the load generator's). */
  noise?: [number, number];
  latency?: Array<[number, number]>;
  /** Open-loop rate; distinct clients asked; server memory grown over the pass, in bytes. */
  rate?: number;
  distinct?: number;
  rssGrowth?: number;
}

function group(core: number, role: string, noiseShare: number): GroupNoise {
  return { cores: [core], role, otherShare: noiseShare, stealShare: 0, idleShare: 0, noiseShare, noisy: noiseShare > 0.1 };
}

export function pass({ tokensPerSecond, cpuMicrosPerToken, noise = [0.01, 0.02], latency = [[1, 1]], rate, distinct, rssGrowth }: PassShape): PassFigures {
  const groups = [group(0, 'server', noise[0]), group(1, 'loadgen', noise[1])];
  return {
    tokensPerSecond,
    cpuMicrosPerToken,
    latencyMs: summarizeLatency(latency),
    latencyHistogram: latency,
    autocannonLatencyMs: {},
    count2xx: tokensPerSecond * 15,
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    durationSeconds: 15,
    serverCpuTicks: 1500,
    serverCpuTicksOfReapedChildren: 0,
    serverCpuShare: 1,
    loadgenCpuShare: 0.5,
    noise: { groups, noisy: groups.some((g) => g.noisy), unmeasured: false },
    attempt: 1,
    serverAffinity: '0',
    loadgenAffinity: '1',
    token: { header: { alg: 'ES256' }, claims: ['iss'], tokenChars: 566, responseBytes: 656 },
    startupMs: 400,
    warmMs: 400,
    rssStartBytes: 80e6,
    rssEndBytes: 80e6 + (rssGrowth ?? 0),
    rate: rate ?? null,
    distinctVariants: distinct ?? 0,
    newVariants: distinct ?? 0,
    wrappedVariants: 0,
  };
}
