// The load generator: autocannon in its own process (token-bench.mjs pins it to a core of its own),
// driven over the IPC channel. Each {type:'run'} message runs one bounded autocannon pass and answers
// with {type:'result'}: the counts and latencies token-bench needs plus this process's own CPU time, so a
// saturated load generator can be told apart from a saturated server. Latencies come back as a histogram
// of every response's time (autocannon's own percentiles are whole milliseconds).
import autocannon from 'autocannon';
import { histogramEntries, newHistogram, recordLatency } from './statistics.mjs';

if (!process.send) {
  process.stderr.write('load-client.mjs is started by token-bench.mjs (it needs an IPC channel)\n');
  process.exit(2);
}

/** @param {import('./load-generator.mjs').PassOptions} options */
async function run({ url, headers, body, connections, seconds }) {
  const cpuBefore = process.cpuUsage();
  const wallBefore = process.hrtime.bigint();
  const histogram = newHistogram();
  const instance = autocannon({
    url,
    method: 'POST',
    headers,
    body,
    connections,
    pipelining: 1,
    duration: seconds,
    timeout: 10,
  });
  instance.on('response', (_client, _statusCode, _bytes, responseTimeMs) => recordLatency(histogram, responseTimeMs));
  const result = await instance;
  const wallMicros = Number(process.hrtime.bigint() - wallBefore) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    durationSeconds: result.duration,
    start: result.start,
    finish: result.finish,
    requestsSent: result.requests.sent,
    completed: result.latency.totalCount,
    count2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    resets: result.resets,
    statusCodeStats: result.statusCodeStats,
    latencyHistogram: histogramEntries(histogram),
    autocannonLatencyMs: {
      average: result.latency.average,
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    loadgenCpuShare: (cpu.user + cpu.system) / wallMicros,
  };
}

/** @param {unknown} message */
const reply = (message) => process.send?.(message);

process.on('message', (/** @type {{ type?: string, id?: number } & import('./load-generator.mjs').PassOptions} */ message) => {
  if (message?.type === 'exit') process.exit(0);
  if (message?.type !== 'run') return;
  run(message).then(
    (result) => reply({ type: 'result', id: message.id, result }),
    (error) => reply({ type: 'error', id: message.id, message: String(error?.stack ?? error) }),
  );
});
process.on('disconnect', () => process.exit(0));
reply({ type: 'ready' });
