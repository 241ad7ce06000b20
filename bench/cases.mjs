// The bench's scenarios and the passes ("cases") each one adds to a round: which target, which request,
// and how it is driven. Every case is a row of the report; the ratio pairs compare rows. Closed-loop
// cases run first in each round (interleaved), then the open-loop ones, whose rate is half of the
// round's closed-loop Latchkey peak.
import { RATIO_PAIRS } from './scenarios.mjs';

/**
 * `openLoop`: driven at a fixed rate instead of as fast as it answers. `fresh`: every request carries
 * another token, pre-issued (first sight); otherwise one token, seen before. `workers`: LATCHKEY_WORKERS,
 * with 2 given both cores. `clients`: that many provisioned clients, each request from one of them.
 * @typedef {{
 *   key: string, scenario: string, target: string, request: import('./requests.mjs').RequestKind,
 *   openLoop?: boolean, fresh?: boolean, workers?: number, clients?: number, env?: Record<string, string>,
 * }} BenchCase
 */

// `sdk` (bench/sdk-bench.mjs) has passes of its own, run after the others: it adds no case here.
export const SCENARIOS = ['token', 'open-loop', 'dialects', 'introspection', 'workers', 'sdk', 'clients'];

/** Everything but the many-clients scenario, which provisions up to a million clients: it runs when asked. */
export const DEFAULT_SCENARIOS = SCENARIOS.filter((s) => s !== 'clients');

/** The base Latchkey pass: the peak the open-loop rate, the dialects and the workers are measured against. */
const LATCHKEY = 'latchkey';

/**
 * "1k", "1M", "2,500": a client count as a row label.
 * @param {number} n
 * @returns {string}
 */
export function countLabel(n) {
  if (n >= 1e6 && n % 1e6 === 0) return `${n / 1e6}M`;
  if (n >= 1e3 && n % 1e3 === 0) return `${n / 1e3}k`;
  return n.toLocaleString('en-US');
}

/**
 * @param {number} n
 * @returns {string}
 */
export const clientsKey = (n) => `latchkey ${countLabel(n)} clients`;

/**
 * The cases of the chosen scenarios for the chosen targets, closed-loop ones first. A scenario measured
 * against the base Latchkey pass brings that pass along.
 * @param {readonly string[]} scenarios
 * @param {readonly string[]} targets
 * @param {readonly number[]} clientCounts
 * @returns {BenchCase[]}
 */
export function selectCases(scenarios, targets, clientCounts) {
  /** @type {BenchCase[]} */
  const all = [];
  const add = (/** @type {BenchCase} */ c) => {
    if (targets.includes(c.target) && !all.some((a) => a.key === c.key)) all.push(c);
  };
  const needsBase = scenarios.some((s) => s === 'open-loop' || s === 'dialects' || s === 'workers');
  for (const t of ['latchkey', 'baseline', 'limit', 'peer']) {
    if (scenarios.includes('token') || (needsBase && t === LATCHKEY)) add({ key: t, scenario: 'token', target: t, request: 'token' });
  }
  if (scenarios.includes('dialects')) {
    add({ key: 'latchkey authenticate', scenario: 'dialects', target: 'latchkey', request: 'authenticate' });
    add({ key: 'latchkey access-token', scenario: 'dialects', target: 'latchkey', request: 'access-token' });
    add({ key: 'baseline access-token', scenario: 'dialects', target: 'baseline', request: 'access-token' });
  }
  if (scenarios.includes('introspection')) {
    add({ key: 'latchkey introspect', scenario: 'introspection', target: 'latchkey', request: 'introspect' });
    add({ key: 'latchkey introspect fresh', scenario: 'introspection', target: 'latchkey', request: 'introspect', fresh: true });
    add({ key: 'baseline introspect', scenario: 'introspection', target: 'baseline', request: 'introspect' });
    add({ key: 'limit introspect', scenario: 'introspection', target: 'limit', request: 'introspect' });
    // The HTTP ceiling for a token seen before: parse the form, look the answer up, send it.
    add({ key: 'limit introspect seen', scenario: 'introspection', target: 'limit', request: 'introspect', env: { BENCH_LIMIT_REMEMBER: '1' } });
    // oidc-provider introspects only the tokens it stores: opaque ones (it refuses JWT access tokens).
    add({ key: 'peer introspect', scenario: 'introspection', target: 'peer', request: 'introspect', env: { BENCH_PEER_TOKEN_FORMAT: 'opaque' } });
  }
  if (scenarios.includes('workers')) add({ key: 'latchkey 2 workers', scenario: 'workers', target: 'latchkey', request: 'token', workers: 2 });
  if (scenarios.includes('clients')) {
    for (const n of clientCounts) add({ key: clientsKey(n), scenario: 'clients', target: 'latchkey', request: 'token', clients: n });
  }
  if (scenarios.includes('open-loop')) {
    for (const t of ['latchkey', 'limit', 'peer']) add({ key: `${t} open-loop`, scenario: 'open-loop', target: t, request: 'token', openLoop: true });
  }
  return all;
}

/**
 * The ratio pairs among the cases run. The aims are the issue's: the dialects within 1.1× of
 * /oauth/token, introspection of a seen token ≥ 5× the peer's, first sight within 1.2× of the limit's one
 * verify, 1M clients within 10% of 1k. Two workers have no aim: the load generator shares their cores.
 * @param {readonly BenchCase[]} cases
 * @param {readonly number[]} clientCounts
 * @returns {import('./statistics.mjs').RatioPair[]}
 */
export function ratioPairs(cases, clientCounts) {
  const keys = new Set(cases.map((c) => c.key));
  const [fewest, most] = [Math.min(...clientCounts), Math.max(...clientCounts)];
  /** @type {import('./statistics.mjs').RatioPair[]} */
  const pairs = [
    ...RATIO_PAIRS,
    { key: 'authenticateVsToken', of: 'latchkey authenticate', over: 'latchkey', aim: 1 / 1.1, whose: "/oauth/token's" },
    { key: 'accessTokenVsToken', of: 'latchkey access-token', over: 'latchkey', aim: 1 / 1.1, whose: "/oauth/token's" },
    { key: 'introspectVsPeer', of: 'latchkey introspect', over: 'peer introspect', aim: 5, whose: "the peer's" },
    { key: 'introspectVsCeiling', of: 'latchkey introspect', over: 'limit introspect seen', aim: null, whose: "the HTTP ceiling's (a remembered answer)" },
    { key: 'accessTokenVsBaseline', of: 'latchkey access-token', over: 'baseline access-token', aim: null, whose: "the baseline's" },
    { key: 'introspectVsBaseline', of: 'latchkey introspect', over: 'baseline introspect', aim: null, whose: "the baseline's" },
    { key: 'introspectFreshVsLimit', of: 'latchkey introspect fresh', over: 'limit introspect', aim: 1 / 1.2, whose: "the limit's (one ES256 verify)" },
    { key: 'twoWorkersVsOne', of: 'latchkey 2 workers', over: 'latchkey', aim: null, whose: "one worker's" },
    { key: 'mostVsFewestClients', of: clientsKey(most), over: clientsKey(fewest), aim: 0.9, whose: `${countLabel(fewest)} clients'` },
  ];
  return pairs.filter((p) => p.of !== p.over && keys.has(p.of) && keys.has(p.over));
}

/** The open-loop rate: half of the closed-loop Latchkey peak, as the issue asks for the p99. */
export const OPEN_LOOP_SHARE = 0.5;

/** The p99 the issue aims at for Latchkey at that rate, in milliseconds. */
export const OPEN_LOOP_P99_AIM_MS = 5;
