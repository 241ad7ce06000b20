import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, dueAt, dueCount, runPaced } from './paced-sender.mjs';

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
