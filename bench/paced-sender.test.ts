import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, dueAt, dueCount, runPaced } from './paced-sender.mjs';
import { closesConnection, completeAnswer } from './raw-http.mjs';

describe('the open-loop schedule', () => {
  it('spaces requests 1/rate apart from the start', () => {
    expect([0, 1, 2, 500].map((i) => dueAt(i, 500))).toEqual([0, 2, 4, 1000]);
    // At the start one request is due; 2 ms later (500/s), the second one too.
    expect([0, 1.9, 2, 1000].map((ms) => dueCount(ms, 500))).toEqual([1, 1, 2, 501]);
  });
});

describe('runPaced and collect, against a loopback server', () => {
  let server: Server;
  let url: string;
  const bodies: string[] = [];
  beforeAll(async () => {
    let n = 0;
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        bodies.push(`${req.headers.authorization} ${body}`);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ access_token: `t${++n}` }));
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth/token`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it('sends rate × seconds requests over about that long, each varied, each latency recorded', async () => {
    bodies.length = 0;
    const latencies: number[] = [];
    let i = 0;
    const r = await runPaced({
      url,
      headers: { authorization: 'a' },
      body: 'b',
      rate: 200,
      seconds: 1,
      connections: 4,
      vary: (headers, body) => ({ headers: { ...headers, authorization: `a${i}` }, body: `${body}${i++}` }),
      onLatency: (ms) => latencies.push(ms),
    });
    expect(r).toMatchObject({ requestsSent: 200, completed: 200, count2xx: 200, non2xx: 0, errors: 0, timeouts: 0 });
    expect(r.durationSeconds).toBeGreaterThan(0.95);
    expect(latencies).toHaveLength(200);
    expect(bodies).toContain('a7 b7');
  });

  it('collects a field of each answer', async () => {
    const tokens = await collect({ url, headers: {}, body: '', count: 25, field: 'access_token', concurrency: 4 });
    expect(tokens).toHaveLength(25);
    expect(new Set(tokens).size).toBe(25);
  });
});

describe('the bare-socket client under the open-loop sender', () => {
  it('finds where an answer ends: by Content-Length, by the last chunk, or not yet', () => {
    const whole = Buffer.from('HTTP/1.1 201 Created\r\nContent-Length: 5\r\n\r\nhello');
    expect(completeAnswer(whole)).toEqual({ length: whole.length, status: 201, bodyStart: whole.length - 5 });
    expect(completeAnswer(whole.subarray(0, whole.length - 1))).toBeNull();
    expect(completeAnswer(Buffer.from('HTTP/1.1 200 OK\r\nContent-Le'))).toBeNull();
    const chunked = Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n');
    expect(completeAnswer(chunked)?.length).toBe(chunked.length);
    expect(completeAnswer(chunked.subarray(0, chunked.length - 2))).toBeNull();
  });

  it('sees an answer that closes its connection, by the header only', () => {
    const closing = Buffer.from('HTTP/1.1 200 OK\r\nconnection: close\r\nContent-Length: 17\r\n\r\nconnection: close');
    const kept = Buffer.from('HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 19\r\n\r\n\r\nConnection: close');
    expect(closesConnection(closing, closing.length - 17)).toBe(true);
    expect(closesConnection(kept, kept.length - 19)).toBe(false);
  });

  it('gets every answer from a server that closes each connection, and counts a refused one as an error', async () => {
    let n = 0;
    const closing = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.setHeader('connection', 'close');
        res.write(`{"n":`);
        res.end(`${++n}}`);
      });
    });
    await new Promise<void>((done) => closing.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(closing.address() as AddressInfo).port}/`;
    try {
      const r = await runPaced({ url, headers: {}, body: 'x', rate: 100, seconds: 0.5, connections: 2, vary: (headers, body) => ({ headers, body }), onLatency: () => undefined });
      expect(r).toMatchObject({ requestsSent: 50, completed: 50, count2xx: 50, errors: 0 });
    } finally {
      await new Promise<void>((done) => closing.close(() => done()));
    }
    const refused = await runPaced({ url, headers: {}, body: 'x', rate: 20, seconds: 0.1, connections: 1, vary: (headers, body) => ({ headers, body }), onLatency: () => undefined });
    expect(refused).toMatchObject({ requestsSent: 2, completed: 0, errors: 2 });
  });
});
