// HTTP/1.1 keep-alive connections over bare sockets, for the open-loop sender. node:http's client spends
// about 100 µs of the load generator's core per request and makes garbage for each one; its own event-loop
// stalls (GC, parsing) then show up as the server's latency. Here a request is one string written to a
// socket and an answer is found by its Content-Length (or the end of its chunked body): a few µs each.
import { connect } from 'node:net';

/**
 * @typedef {{ status: number, text: string }} Answer
 * @typedef {{ head: string, body: string, done: (answer: Answer) => void, fail: (error: NodeJS.ErrnoException) => void }} Job
 */

const HEADER_END = Buffer.from('\r\n\r\n');
const CHUNKED_END = Buffer.from('0\r\n\r\n');

/**
 * Where the answer at the start of `data` ends (its byte length), or -1 while it is incomplete.
 * @param {Buffer} data
 * @returns {{ length: number, status: number, bodyStart: number } | null}
 */
export function completeAnswer(data) {
  const headerEnd = data.indexOf(HEADER_END);
  if (headerEnd < 0) return null;
  const head = data.toString('latin1', 0, headerEnd).toLowerCase();
  const status = Number(head.slice(9, 12));
  const bodyStart = headerEnd + 4;
  const lengthAt = head.indexOf('\r\ncontent-length:');
  if (lengthAt >= 0) {
    const length = bodyStart + Number.parseInt(head.slice(lengthAt + 17), 10);
    return data.length >= length ? { length, status, bodyStart } : null;
  }
  if (head.includes('\r\ntransfer-encoding: chunked')) {
    const end = data.indexOf(CHUNKED_END, bodyStart);
    return end < 0 ? null : { length: end + CHUNKED_END.length, status, bodyStart };
  }
  return { length: bodyStart, status, bodyStart };
}

const CLOSE_HEADERS = [Buffer.from('\r\nconnection: close'), Buffer.from('\r\nConnection: close')];

/**
 * Whether the answer whose headers end before `bodyStart` says the server closes the connection after it
 * (a draining server does): nothing more may be sent on it.
 * @param {Buffer} data
 * @param {number} bodyStart
 * @returns {boolean}
 */
export function closesConnection(data, bodyStart) {
  return CLOSE_HEADERS.some((header) => {
    const at = data.indexOf(header);
    return at >= 0 && at < bodyStart;
  });
}

/**
 * Up to `connections` keep-alive connections to `url`'s host; requests wait in order for a free one.
 * @param {{ url: URL, connections: number, timeoutMs: number }} options
 */
export function rawPool({ url, connections, timeoutMs }) {
  const port = Number(url.port || 80);
  const prefix = `POST ${url.pathname}${url.search} HTTP/1.1\r\nhost: ${url.host}\r\n`;
  /** @type {Job[]} */
  const waiting = [];
  /** @type {Array<(job: Job) => void>} */
  const idle = [];
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set();
  let opened = 0;
  let closed = false;

  const open = () => {
    opened++;
    const socket = connect({ host: url.hostname, port, noDelay: true });
    sockets.add(socket);
    /** @type {Job | null} */
    let job = null;
    /** @type {Buffer} */
    let received = Buffer.alloc(0);
    let timer = /** @type {NodeJS.Timeout | null} */ (null);
    let connected = false;
    const take = (/** @type {Job} */ next) => {
      job = next;
      received = Buffer.alloc(0);
      timer = setTimeout(() => socket.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })), timeoutMs);
      socket.write(next.head + next.body);
    };
    const free = () => {
      const next = waiting.shift();
      if (next) take(next);
      else idle.push(take);
    };
    socket.on('data', (chunk) => {
      received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
      const answer = job && completeAnswer(received);
      if (!job || !answer) return;
      const finished = job;
      job = null;
      if (timer) clearTimeout(timer);
      finished.done({ status: answer.status, text: received.toString('utf8', answer.bodyStart, answer.length) });
      // A request written now would race the server's close and fail: end this one, and its close opens
      // another for whatever waits.
      if (closesConnection(received, answer.bodyStart)) socket.end();
      else free();
    });
    socket.on('error', () => undefined);
    socket.on('close', (hadError) => {
      sockets.delete(socket);
      opened--;
      const index = idle.indexOf(take);
      if (index >= 0) idle.splice(index, 1);
      if (timer) clearTimeout(timer);
      if (job) job.fail(/** @type {NodeJS.ErrnoException} */ (socket.errored ?? Object.assign(new Error(hadError ? 'connection error' : 'connection closed'), { code: 'ECONNRESET' })));
      job = null;
      if (closed) return;
      if (connected) {
        if (waiting.length > 0) open();
      } else if (opened === 0) {
        // Not even a connection: what waits has nothing to wait for (a refused port, a server gone).
        const error = /** @type {NodeJS.ErrnoException} */ (socket.errored ?? Object.assign(new Error('could not connect'), { code: 'ECONNREFUSED' }));
        for (const waiter of waiting.splice(0)) waiter.fail(error);
      }
    });
    socket.once('connect', () => {
      connected = true;
      free();
    });
  };

  return {
    /**
     * @param {Record<string, string>} headers
     * @param {string} body
     * @returns {Promise<Answer>}
     */
    send(headers, body) {
      let head = prefix;
      for (const name in headers) head += `${name}: ${headers[name]}\r\n`;
      head += `content-length: ${Buffer.byteLength(body)}\r\n\r\n`;
      return new Promise((done, fail) => {
        const job = { head, body, done, fail };
        const ready = idle.pop();
        if (ready) ready(job);
        else {
          waiting.push(job);
          if (opened < connections) open();
        }
      });
    },
    close() {
      closed = true;
      for (const socket of sockets) socket.destroy();
    },
  };
}
