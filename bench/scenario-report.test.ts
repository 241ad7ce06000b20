import { describe, expect, it } from 'vitest';
import { selectCases } from './cases.mjs';
import { pass } from './fixtures.js';
import { bytesPerCachedClient, formatScenarioNotes } from './scenario-report.mjs';
import { summarize } from './statistics.mjs';

const latency: Array<[number, number]> = [[1.2, 98], [4, 1], [9, 1]];

describe('formatScenarioNotes', () => {
  it('prints the open-loop latencies at the one rate, the workers and the many clients', () => {
    const cases = selectCases(['open-loop', 'workers', 'clients'], ['latchkey', 'limit', 'peer'], [1000, 1000000]);
    const round = {
      latchkey: pass({ tokensPerSecond: 6000, cpuMicrosPerToken: 160 }),
      'latchkey 2 workers': pass({ tokensPerSecond: 9000, cpuMicrosPerToken: 170 }),
      'latchkey 1k clients': pass({ tokensPerSecond: 5900, cpuMicrosPerToken: 160, distinct: 1000, rssGrowth: 2_000_000 }),
      'latchkey 1M clients': { ...pass({ tokensPerSecond: 5600, cpuMicrosPerToken: 170, distinct: 40_000, rssGrowth: 80_000_000 }), rssStartBytes: 80e6 + 999_000_000, rssEndBytes: 80e6 + 1_079_000_000, warmMs: 17_000 },
      'latchkey open-loop': pass({ tokensPerSecond: 3000, cpuMicrosPerToken: 150, rate: 3000, latency }),
      'limit open-loop': pass({ tokensPerSecond: 3000, cpuMicrosPerToken: 50, rate: 3000, latency: [[1.2, 98], [6, 2]] }),
      'peer open-loop': pass({ tokensPerSecond: 2000, cpuMicrosPerToken: 500, rate: 3000, latency: [[30, 99], [80, 1]] }),
    };
    const keys = cases.map((c) => c.key);
    const text = formatScenarioNotes({ cases, rounds: [round], summary: summarize([round], keys), settings: { clientSpread: 'zipf' } });
    expect(text.split('\n')).toEqual([
      '',
      "open-loop at 3,000 requests/s (half of latchkey's closed-loop peak), latency from each request's scheduled time: latchkey p50 1.20 ms, p99 4.00 ms (aim ≤ 5 ms: met); limit p50 1.20 ms, p99 6.00 ms; peer p50 30.00 ms, p99 30.00 ms (it answered only 2,000/s: it fell behind)",
      'open-loop p99, latchkey vs the limit at the same rate: 0.67×; the limit misses 5 ms too, so this machine’s floor is above the aim',
      'workers: 6,000 tokens/s with LATCHKEY_WORKERS=1 (core 0), 9,000 with 2 (cores 0 and 1, which the load generator then shares: it is not a per-core figure)',
      '1,000 clients (zipf spread): 5,900 tokens/s, 1,000 distinct clients asked, start-up 400 ms, client cache full after 400 ms, RSS 76 → 78 MiB',
      "1,000,000 clients (zipf spread): 5,600 tokens/s, 40,000 distinct clients asked, start-up 400 ms, client cache full after 17,000 ms, RSS 1,029 → 1,105 MiB, 1,000 bytes per cached client (RSS over the 1,000-client server's)",
    ]);
  });

  it('has no per-client figure without more clients than the base', () => {
    const f = pass({ tokensPerSecond: 1, cpuMicrosPerToken: 1 });
    expect(bytesPerCachedClient(f, 1000, f, 1000)).toBeNull();
    expect(bytesPerCachedClient({ ...f, rssStartBytes: f.rssStartBytes + 2_000_000 }, 3000, f, 1000)).toBe(1000);
  });
});
