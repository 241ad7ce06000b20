import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Metrics } from '../metrics/metrics.js';
import { UNMATCHED_ROUTE } from '../metrics/request-stats.js';
import type { AccessLog } from './access-log.js';
import { REQUEST_ID_HEADER } from './request-id.js';

/**
 * Fastify calls its log controller at the start and at the end of every request, from the response's own
 * `finish` listener, which it installs anyway: observing requests here costs no hook and no extra listener
 * on the token path. Per-request log lines stay off (disableRequestLogging); instead:
 * - at the start, the request id goes into the `X-Request-Id` response header;
 * - at the end, the request is counted, timed from its arrival (headers parsed) to its last byte handed
 *   to the socket, so time spent reading the body, waiting in the event loop and sending is included, and
 *   written to the access log if one is configured.
 */
export class RequestObserver extends LogController {
  readonly #metrics: Pick<Metrics, 'request'>;
  readonly #accessLog: AccessLog | null;

  constructor(metrics: Pick<Metrics, 'request'>, accessLog: AccessLog | null) {
    super({ disableRequestLogging: true });
    this.#metrics = metrics;
    this.#accessLog = accessLog;
  }

  override incomingRequest(request: FastifyRequest, reply: FastifyReply): void {
    reply.header(REQUEST_ID_HEADER, request.id);
  }

  override requestCompleted(_error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const { url, config } = request.routeOptions;
    const route = url ?? UNMATCHED_ROUTE;
    const seconds = reply.elapsedTime / 1000;
    this.#metrics.request(request.method, route, reply.statusCode, seconds);
    this.#accessLog?.(request, reply, route, config?.tokenPath === true, seconds);
  }
}
