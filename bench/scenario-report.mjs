// The lines the report adds under the table for the scenarios beyond the token request: open-loop
// latency at the fixed rate, the workers, the many clients (start-up, memory per cached client), and
// first-sight pools that ran out. Medians over rounds, as in the table.
import { OPEN_LOOP_P99_AIM_MS } from './cases.mjs';
import { fmt } from './report.mjs';
import { median } from './statistics.mjs';

/**
 * @typedef {{
 *   cases: readonly import('./cases.mjs').BenchCase[],
 *   rounds: ReadonlyArray<Readonly<Record<string, import('./measure-pass.mjs').PassFigures>>>,
 *   summary: Readonly<Record<string, import('./statistics.mjs').TargetSummary>>,
 *   settings: { clientSpread: string },
 * }} NotesInput
 */

/**
 * Memory per cached client: how much more the server of `clients` clients holds than the one of
 * `baseClients` (the smallest count of the run), per client more, both measured after the warm-up (the
 * client cache full: the bench waits for it). RSS also moves by a few MiB on its own, so the figure means
 * something only over many thousands of clients. Null without a difference in clients.
 * @param {import('./measure-pass.mjs').PassFigures} f
 * @param {number} clients
 * @param {import('./measure-pass.mjs').PassFigures} base
 * @param {number} baseClients
 * @returns {number | null}
 */
export function bytesPerCachedClient(f, clients, base, baseClients) {
  return clients > baseClients ? (f.rssStartBytes - base.rssStartBytes) / (clients - baseClients) : null;
}

/**
 * @param {NotesInput} input
 * @returns {string}
 */
export function formatScenarioNotes({ cases, rounds, summary, settings }) {
  const pick = (/** @type {string} */ key, /** @type {(f: import('./measure-pass.mjs').PassFigures) => number | null} */ figure) =>
    median(rounds.map((round) => round[key]).map((f) => (f ? figure(f) : null)));
  const lines = [];

  const open = cases.filter((c) => c.openLoop && summary[c.key]);
  if (open.length) {
    const rate = pick(open[0]?.key ?? '', (f) => f.rate);
    const each = open.map((c) => {
      const s = summary[c.key];
      const aim = c.target === 'latchkey' && s?.p99Ms !== null && s?.p99Ms !== undefined ? ` (aim ≤ ${OPEN_LOOP_P99_AIM_MS} ms: ${s.p99Ms <= OPEN_LOOP_P99_AIM_MS ? 'met' : 'NOT met'})` : '';
      // Answers short of the rate mean the server fell behind: its latencies are then mostly queueing.
      const behind = rate !== null && s?.tokensPerSecond != null && s.tokensPerSecond < 0.95 * rate ? ` (it answered only ${fmt(s.tokensPerSecond, 0)}/s: it fell behind)` : '';
      return `${c.target} p50 ${fmt(s?.p50Ms, 2)} ms, p99 ${fmt(s?.p99Ms, 2)} ms${aim}${behind}`;
    });
    lines.push(`open-loop at ${fmt(rate, 0)} requests/s (half of latchkey's closed-loop peak), latency from each request's scheduled time: ${each.join('; ')}`);
    // The bare route's tail at the same rate is what the machine (steal, timer batching) adds to any server.
    const ours = open.find((c) => c.target === 'latchkey');
    const floor = open.find((c) => c.target === 'limit');
    const p99 = (/** @type {typeof ours} */ c) => (c ? summary[c.key]?.p99Ms ?? null : null);
    const [oursP99, floorP99] = [p99(ours), p99(floor)];
    if (oursP99 !== null && floorP99 !== null && floorP99 > 0) {
      const floorMisses = floorP99 > OPEN_LOOP_P99_AIM_MS ? `; the limit misses ${OPEN_LOOP_P99_AIM_MS} ms too, so this machine’s floor is above the aim` : '';
      lines.push(`open-loop p99, latchkey vs the limit at the same rate: ${fmt(oursP99 / floorP99, 2)}×${floorMisses}`);
    }
  }

  const workers = cases.find((c) => c.workers && c.workers > 1 && summary[c.key]);
  if (workers && summary.latchkey) {
    lines.push(
      `workers: ${fmt(summary.latchkey.tokensPerSecond, 0)} tokens/s with LATCHKEY_WORKERS=1 (core 0), ${fmt(summary[workers.key]?.tokensPerSecond, 0)} with ${workers.workers} ` +
        '(cores 0 and 1, which the load generator then shares: it is not a per-core figure)',
    );
  }

  const many = cases.filter((c) => c.clients && summary[c.key]).sort((a, b) => (a.clients ?? 0) - (b.clients ?? 0));
  const smallest = many[0];
  for (const c of many) {
    const perClient =
      smallest && c !== smallest
        ? median(rounds.map((round) => {
            const [f, base] = [round[c.key], round[smallest.key]];
            return f && base ? bytesPerCachedClient(f, c.clients ?? 0, base, smallest.clients ?? 0) : null;
          }))
        : null;
    lines.push(
      `${fmt(c.clients ?? 0, 0)} clients (${settings.clientSpread} spread): ${fmt(summary[c.key]?.tokensPerSecond, 0)} tokens/s, ` +
        `${fmt(pick(c.key, (f) => f.distinctVariants), 0)} distinct clients asked, start-up ${fmt(pick(c.key, (f) => f.startupMs), 0)} ms, ` +
        `client cache full after ${fmt(pick(c.key, (f) => f.warmMs), 0)} ms, ` +
        `RSS ${fmt(pick(c.key, (f) => f.rssStartBytes / 2 ** 20), 0)} → ${fmt(pick(c.key, (f) => f.rssEndBytes / 2 ** 20), 0)} MiB` +
        (perClient === null ? '' : `, ${fmt(perClient, 0)} bytes per cached client (RSS over the ${fmt(smallest?.clients ?? 0, 0)}-client server's)`),
    );
  }

  for (const c of cases.filter((x) => x.fresh)) {
    const wrapped = pick(c.key, (f) => f.wrappedVariants);
    if (wrapped) lines.push(`${c.key}: ${fmt(wrapped, 0)} requests reused a token (the pool ran out): raise BENCH_FRESH_TOKENS for a pure first-sight figure`);
  }
  return lines.length ? `\n${lines.join('\n')}` : '';
}
