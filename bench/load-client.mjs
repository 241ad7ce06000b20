// The load generator: autocannon in its own process (token-bench.mjs pins it to a core of its own),
// driven over the IPC channel. Each {type:'run'} message runs one bounded autocannon pass and answers
// with {type:'result'}: the counts and latencies token-bench needs plus this process's own CPU time, so a
// saturated load generator can be told apart from a saturated server. Latencies come back as a histogram
// of every response's time (autocannon's own percentiles are whole milliseconds). With `rate` set, the
// pass is open-loop (paced-sender.mjs) instead. Pools of values that vary from request to request (one
// Authorization header per client, one pre-issued token per introspection) live here, filled by
// {type:'collect'} (tokens issued by the server) or {type:'load'} (a file, one value a line).
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { collect, runPaced } from './paced-sender.mjs';
import { histogramEntries, newHistogram, recordLatency } from './statistics.mjs';
import { picker } from './variants.mjs';

if (!process.send) {
  process.stderr.write('load-client.mjs is started by token-bench.mjs (it needs an IPC channel)\n');
  process.exit(2);
}

/** @type {Map<string, string[]>} */
const pools = new Map();

/**
 * What changes from one request to the next: nothing, or one value of a pool, picked by the spread.
 * @param {import('./load-generator.mjs').PassOptions['variants']} variants
 */
function variation(variants) {
  const pool = variants ? pools.get(variants.pool) : undefined;
  if (!variants) return { vary: (/** @type {Record<string, string>} */ headers, /** @type {string} */ body) => ({ headers, body }), distinct: () => 0, wrapped: () => 0 };
  if (!pool) throw new Error(`no pool ${variants.pool}`);
  const pick = picker(pool.length, variants.spread);
  const value = () => `${variants.prefix}${pool[pick.next()]}`;
  const vary =
    variants.field === 'authorization'
      ? (/** @type {Record<string, string>} */ headers, /** @type {string} */ body) => ({ headers: { ...headers, authorization: value() }, body })
      : (/** @type {Record<string, string>} */ headers) => ({ headers, body: value() });
  return { vary, distinct: pick.distinct, wrapped: pick.wrapped };
}

/**
 * @param {import('./load-generator.mjs').PassOptions} options
 * @param {import('./statistics.mjs').LatencyHistogram} histogram
 * @param {ReturnType<typeof variation>['vary']} vary
 */
async function closedLoop({ url, headers, body, connections, seconds }, histogram, vary, varies = false) {
  const instance = autocannon({
    url,
    method: 'POST',
    headers,
    body,
    connections,
    pipelining: 1,
    duration: seconds,
    timeout: 10,
    // Autocannon builds each request afresh only when told to vary it.
    ...(varies ? { requests: [{ setupRequest: (/** @type {{ headers: Record<string, string>, body: string }} */ req) => ({ ...req, ...vary(req.headers, req.body) }) }] } : {}),
  });
  instance.on('response', (_client, _statusCode, _bytes, responseTimeMs) => recordLatency(histogram, responseTimeMs));
  const result = await instance;
  return {
    durationSeconds: result.duration,
    requestsSent: result.requests.sent,
    completed: result.latency.totalCount,
    count2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    resets: result.resets,
    statusCodeStats: result.statusCodeStats,
    autocannonLatencyMs: {
      average: result.latency.average,
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
  };
}

/** @param {import('./load-generator.mjs').PassOptions} options */
async function run(options) {
  const cpuBefore = process.cpuUsage();
  const wallBefore = process.hrtime.bigint();
  const histogram = newHistogram();
  const { vary, distinct, wrapped } = variation(options.variants);
  const result = options.rate
    ? { ...(await runPaced({ ...options, rate: options.rate, vary, onLatency: (ms) => recordLatency(histogram, ms) })), resets: 0, autocannonLatencyMs: {} }
    : await closedLoop(options, histogram, vary, options.variants !== undefined);
  const wallMicros = Number(process.hrtime.bigint() - wallBefore) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    ...result,
    latencyHistogram: histogramEntries(histogram),
    distinctVariants: distinct(),
    wrappedVariants: wrapped(),
    loadgenCpuShare: (cpu.user + cpu.system) / wallMicros,
  };
}

/**
 * Fills a pool; answers with its size.
 * @param {{ type: 'collect' | 'load', name: string, file?: string } & Parameters<typeof collect>[0]} message
 * @returns {Promise<{ size: number }>}
 */
async function fill(message) {
  const values = message.type === 'load' ? readFileSync(message.file ?? '', 'utf8').split('\n').filter(Boolean) : await collect(message);
  pools.set(message.name, values);
  return { size: values.length };
}

/** @param {unknown} message */
const reply = (message) => process.send?.(message);

process.on('message', (/** @type {{ type?: string, id?: number }} */ message) => {
  if (message?.type === 'exit') process.exit(0);
  const work =
    message?.type === 'run' ? run(/** @type {import('./load-generator.mjs').PassOptions} */ (/** @type {unknown} */ (message)))
    : message?.type === 'collect' || message?.type === 'load' ? fill(/** @type {Parameters<typeof fill>[0]} */ (/** @type {unknown} */ (message)))
    : null;
  work?.then(
    (result) => reply({ type: 'result', id: message.id, result }),
    (error) => reply({ type: 'error', id: message.id, message: String(error?.stack ?? error) }),
  );
});
process.on('disconnect', () => process.exit(0));
reply({ type: 'ready' });
