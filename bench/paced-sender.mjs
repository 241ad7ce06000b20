// The open-loop sender: requests at fixed times (start + i / rate), whatever the server answers, over
// keep-alive connections on bare sockets (raw-http.mjs). Autocannon's own rate limit lets each connection
// send its quota at the start of every second, in a burst, and waits for each answer before the next request,
// so a slow answer delays the requests behind it and hides how long they would have waited (coordinated
// omission). Here each latency runs from the request's scheduled time, so waiting for a free connection
// counts too. Also: posting a batch of requests to pre-issue a pool of tokens.
import { Agent, request } from 'node:http';
import { rawPool } from './raw-http.mjs';

/**
 * @typedef {{ status: number, text: string }} Answer
 */

/**
 * @param {Agent} agent
 * @param {URL} url
 * @param {Record<string, string>} headers
 * @param {string} body
 * @param {number} timeoutMs
 * @returns {Promise<Answer>}
 */
export function post(agent, url, headers, body, timeoutMs) {
  return new Promise((done, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, timeout: timeoutMs }, (res) => {
      /** @type {Buffer[]} */
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => done({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * When request i of an open-loop run is due, in milliseconds after the start.
 * @param {number} i
 * @param {number} rate requests per second
 * @returns {number}
 */
export function dueAt(i, rate) {
  return (i * 1000) / rate;
}

/**
 * How many requests are due by `elapsedMs` (those with i < the result).
 * @param {number} elapsedMs
 * @param {number} rate
 * @returns {number}
 */
export function dueCount(elapsedMs, rate) {
  return Math.floor((elapsedMs * rate) / 1000) + 1;
}

/**
 * @typedef {{
 *   url: string, headers: Record<string, string>, body: string, rate: number, seconds: number, connections: number,
 *   vary: (headers: Record<string, string>, body: string) => { headers: Record<string, string>, body: string },
 *   onLatency: (ms: number) => void,
 * }} PacedOptions
 */

/**
 * @param {PacedOptions} options
 * @returns {Promise<{ durationSeconds: number, requestsSent: number, completed: number, count2xx: number, non2xx: number, errors: number, timeouts: number, statusCodeStats: Record<string, { count: number }> }>}
 */
export async function runPaced({ url, headers, body, rate, seconds, connections, vary, onLatency }) {
  const pool = rawPool({ url: new URL(url), connections, timeoutMs: 10_000 });
  const counts = { requestsSent: 0, completed: 0, count2xx: 0, non2xx: 0, errors: 0, timeouts: 0 };
  /** @type {Record<string, { count: number }>} */
  const statusCodeStats = {};
  /** @type {Promise<void>[]} */
  const inFlight = [];
  const total = Math.round(rate * seconds);
  const start = performance.now();
  const send = (/** @type {number} */ i) => {
    const scheduled = start + dueAt(i, rate);
    const r = vary(headers, body);
    counts.requestsSent++;
    return pool.send(r.headers, r.body).then(
      (answer) => {
        onLatency(performance.now() - scheduled);
        counts.completed++;
        const code = String(answer.status);
        statusCodeStats[code] = { count: (statusCodeStats[code]?.count ?? 0) + 1 };
        if (answer.status >= 200 && answer.status < 300) counts.count2xx++;
        else counts.non2xx++;
      },
      (/** @type {NodeJS.ErrnoException} */ error) => {
        if (error.code === 'TIMEOUT') counts.timeouts++;
        else counts.errors++;
      },
    );
  };
  let next = 0;
  await new Promise((done) => {
    const tick = () => {
      const due = Math.min(total, dueCount(performance.now() - start, rate));
      while (next < due) inFlight.push(send(next++));
      if (next >= total) return done(undefined);
      // setTimeout(0) is about a millisecond: a few requests go out together at most. (Spinning on
      // setImmediate would send each on time, but fill the load generator's core, and the kernel then
      // moves everything else on the machine onto the server's core.)
      setTimeout(tick, 0);
    };
    tick();
  });
  await Promise.all(inFlight);
  const durationSeconds = (performance.now() - start) / 1000;
  pool.close();
  return { durationSeconds, ...counts, statusCodeStats };
}

/**
 * Posts `count` requests, `concurrency` at a time, and returns each 2xx answer's `field` (a pool of
 * tokens to introspect); fails on any other answer.
 * @param {{ url: string, headers: Record<string, string>, body: string, count: number, field: string, concurrency: number }} options
 * @returns {Promise<string[]>}
 */
export async function collect({ url, headers, body, count, field, concurrency }) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL(url);
  /** @type {string[]} */
  const values = [];
  let started = 0;
  const worker = async () => {
    while (started < count) {
      started++;
      const answer = await post(agent, target, headers, body, 10_000);
      const value = answer.status === 200 ? JSON.parse(answer.text)[field] : undefined;
      if (typeof value !== 'string') throw new Error(`POST ${url} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
      values.push(value);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return values;
}
