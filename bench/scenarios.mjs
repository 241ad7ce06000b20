// What the bench compares: the three servers, the one request they all get, the ratios the issue aims
// at, and the order the servers run in within each round.
import { randomBytes } from 'node:crypto';
import { readPackageVersion } from './machine.mjs';
import { startLatchkey, startScript } from './servers.mjs';

/**
 * @typedef {{
 *   label: string, description: () => string,
 *   start: (ctx: import('./servers.mjs').ServerContext, options?: import('./servers.mjs').StartOptions) => Promise<import('./servers.mjs').StartedServer>,
 * }} Target
 */

/** @type {Readonly<Record<string, Target>>} */
export const TARGETS = {
  latchkey: {
    label: 'latchkey',
    description: () => 'Latchkey (packages/server/dist/cli/main.js serve, SQLite, LATCHKEY_LOG_LEVEL=warn)',
    start: startLatchkey,
  },
  // BENCH_BASELINE: the same request to another checkout's build (an earlier commit), on the same data
  // directory, so a change is measured before and after in one run.
  baseline: {
    label: 'baseline',
    description: () => `Latchkey built in ${process.env.BENCH_BASELINE ?? '(BENCH_BASELINE)'} (the baseline), same data directory and settings`,
    start: (ctx, options) => startLatchkey(ctx, { ...options, cli: baselineCli(ctx.baselineCli ?? null) }),
  },
  limit: {
    label: 'limit',
    description: () => 'bench/limit-server.mjs (bare Fastify, urlencoded parse, one ES256 JWT, no auth, no logging)',
    start: (ctx, options) => startScript('limit', 'limit-server.mjs', ctx, options),
  },
  peer: {
    label: 'peer',
    description: () => `bench/oidc-peer.mjs (oidc-provider ${readPackageVersion('oidc-provider')}, client_credentials, JWT access tokens)`,
    start: (ctx, options) => startScript('peer', 'oidc-peer.mjs', ctx, options),
  },
};

export const TARGET_NAMES = Object.keys(TARGETS);

/**
 * The baseline build's CLI; the settings checked that it exists.
 * @param {string | null} cli
 * @returns {string}
 */
function baselineCli(cli) {
  if (!cli) throw new Error('the baseline target needs BENCH_BASELINE');
  return cli;
}

/** @type {readonly import('./statistics.mjs').RatioPair[]} */
export const RATIO_PAIRS = [
  { key: 'latchkeyVsLimit', of: 'latchkey', over: 'limit', aim: 0.75, whose: "the limit's" },
  { key: 'latchkeyVsPeer', of: 'latchkey', over: 'peer', aim: 3, whose: "the peer's" },
  { key: 'latchkeyVsBaseline', of: 'latchkey', over: 'baseline', aim: null, whose: "the baseline's" },
];

/**
 * The same bytes go to every target: the scope is named explicitly, because oidc-provider (unlike
 * Latchkey) grants no scope when none is asked for.
 */
export const REQUEST_BODY = 'grant_type=client_credentials&scope=email%3Asend+email%3Aread';

/**
 * The order of the targets in round `round` (from 0): each round starts one target further on
 * (A B C, B C A, C A B), so the servers alternate through the run and none always goes first or last,
 * when the machine may still be settling, or drifting.
 * @param {readonly string[]} targets
 * @param {number} round
 * @returns {string[]}
 */
export function roundOrder(targets, round) {
  return targets.map((_, i) => /** @type {string} */ (targets[(round + i) % targets.length]));
}

/**
 * RFC 6749 §2.3.1: client_secret_basic form-encodes id and secret before Base64.
 * @param {string} clientId
 * @param {string} clientSecret
 * @returns {string}
 */
export function basicAuthorization(clientId, clientSecret) {
  const encode = (/** @type {string} */ s) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}

/**
 * Credentials of the same shape and length as those Latchkey issues, for a run without Latchkey.
 * @returns {{ clientId: string, clientSecret: string }}
 */
export function standInCredentials() {
  return { clientId: `bench-dev-${randomBytes(6).toString('hex')}`, clientSecret: `lks_${randomBytes(37).toString('base64url').slice(0, 49)}` };
}
