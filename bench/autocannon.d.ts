// The part of autocannon's API the load client uses (the package ships no types).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  interface Options {
    url: string;
    method: string;
    headers: Record<string, string>;
    body: string;
    connections: number;
    pipelining: number;
    duration: number;
    timeout: number;
  }

  interface Result {
    duration: number;
    start: Date;
    finish: Date;
    requests: { sent: number };
    latency: { totalCount: number; average: number; p50: number; p90: number; p99: number; max: number };
    '2xx': number;
    non2xx: number;
    errors: number;
    timeouts: number;
    resets: number;
    statusCodeStats: Record<string, { count: number }>;
  }

  interface Instance extends EventEmitter, PromiseLike<Result> {
    on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTimeMs: number) => void): this;
  }

  function autocannon(options: Options): Instance;
  export default autocannon;
}
