// The report printed at the end of a run: one line per target (medians over rounds), the ratios, and,
// when some pass was noisy, which ones and how to rerun instead of the ratios they would have tainted.
import { NOISE_LIMIT, rerunAdvice } from './noise-check.mjs';
import { coreLabel } from './statistics.mjs';

/**
 * @param {number | null | undefined} value
 * @param {number} digits
 * @returns {string}
 */
export function fmt(value, digits) {
  return value === undefined || value === null || Number.isNaN(value) ? '–' : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/**
 * @param {number | null | undefined} share
 * @returns {string}
 */
export function pct(share) {
  return share === undefined || share === null || Number.isNaN(share) ? '–' : `${Math.round(share * 100)}%`;
}

/**
 * Columns padded to their widest cell: the first left-aligned, the rest right-aligned, a rule under the header.
 * @param {string[][]} rows
 * @returns {string}
 */
export function table(rows) {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  const line = (/** @type {string[]} */ row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  const [header = [], ...body] = rows;
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/**
 * @typedef {{
 *   targets: readonly string[],
 *   rounds: ReadonlyArray<Readonly<Record<string, import('./measure-pass.mjs').PassFigures>>>,
 *   summary: Readonly<Record<string, import('./statistics.mjs').TargetSummary>>,
 *   ratios: Readonly<Record<string, import('./statistics.mjs').Ratio>>,
 *   pairs: readonly import('./statistics.mjs').RatioPair[],
 *   pinning: import('./pinning.mjs').Pinning,
 *   settings: { waitQuietSeconds: number, noiseRepeats: number },
 * }} ReportInput
 */

/**
 * The report as text, so that what it prints can be tested.
 * @param {ReportInput} input
 * @returns {string}
 */
export function formatReport(input) {
  const { targets, rounds, summary, ratios, pairs } = input;
  // Every core group any row was measured on: two workers are measured on both cores together.
  const noiseLabels = [...new Set(targets.flatMap((name) => summary[name]?.noiseShares.map((n) => n.label) ?? []))];
  const rows = [['target', 'tokens/s', 'CPU µs/token', 'p50 ms', 'p99 ms', 'server CPU', ...noiseLabels.map((l) => `other on ${l}`), 'loadgen CPU', 'noisy']];
  for (const name of targets) {
    const f = summary[name];
    if (!f) continue;
    rows.push([
      name,
      fmt(f.tokensPerSecond, 0),
      fmt(f.cpuMicrosPerToken, 1),
      fmt(f.p50Ms, 2),
      fmt(f.p99Ms, 2),
      pct(f.serverCpuShare),
      ...noiseLabels.map((label) => {
        const reading = f.noiseShares.find((n) => n.label === label);
        return reading ? pct(reading.share) : '';
      }),
      pct(f.loadgenCpuShare),
      f.noisyPasses ? `NOISY ${f.noisyPasses} of ${f.passes}` : '',
    ]);
  }
  const lines = ['', ...(rounds.length > 1 ? [`medians of ${rounds.length} rounds`] : []), table(rows), ''];

  const nameWidth = Math.max(18, ...pairs.filter((p) => ratios[p.key]).map((p) => `${p.of} / ${p.over}`.length + 2));
  for (const pair of pairs) {
    const r = ratios[pair.key];
    if (!r) continue;
    const name = `${pair.of} / ${pair.over}`.padEnd(nameWidth);
    if (r.withheld) {
      lines.push(`${name}no ratio: ${r.noisyPasses} of the ${2 * r.perRound.throughput.length} passes it compares were noisy`);
      continue;
    }
    lines.push(
      `${name}throughput ${fmt(r.throughput, 2)}${pair.aim === null ? '' : ` (aim ≥ ${fmt(pair.aim, 2).replace(/\.?0+$/, '')}: ${r.meetsAim ? 'met' : 'NOT met'})`};  ` +
        `CPU per token ${fmt(r.cpuPerToken, 2)}× ${pair.whose} (throughput ratio at a full core each: ${fmt(r.throughputAtFullCore, 2)})`,
    );
  }

  const noisy = noisyPasses(rounds, targets);
  const passCount = rounds.reduce((n, round) => n + targets.filter((t) => round[t]).length, 0);
  if (noisy.length) {
    lines.push(
      '',
      `NOISY: in ${noisy.length} of ${passCount} measured passes, processes other than the server under test and its load generator ` +
        `took more than ${pct(NOISE_LIMIT)} of a measured core: ${noisy.join('; ')}. Those figures are marked, and no ratio is drawn from them.`,
      rerunAdvice(input.settings),
    );
  }
  if (rounds.some((round) => targets.some((t) => round[t]?.noise.unmeasured))) {
    lines.push('', 'WARNING: /proc/stat was not readable, so the noise check could not run: the ratios are unchecked.');
  }
  if (!input.pinning.pinned) lines.push('', `WARNING: this run was UNPINNED: ${input.pinning.reason}`);
  lines.push('', 'Absolute figures move with the machine; compare the ratios, which come from one run on one machine.');
  return lines.join('\n');
}

/**
 * "limit in round 2 (core 0: 23%)" for every noisy pass, in the order they ran.
 * @param {ReportInput['rounds']} rounds
 * @param {readonly string[]} targets
 * @returns {string[]}
 */
function noisyPasses(rounds, targets) {
  return rounds.flatMap((round, i) =>
    targets.flatMap((name) => {
      const pass = round[name];
      if (!pass?.noise.noisy) return [];
      const where = pass.noise.groups.filter((g) => g.noisy).map((g) => `${coreLabel(g.cores)}: ${pct(g.noiseShare)}`);
      return [`${name} in round ${i + 1} (${where.join(', ')})`];
    }),
  );
}
