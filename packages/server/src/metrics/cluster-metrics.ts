import cluster from 'node:cluster';
import { AggregatorRegistry, type PrometheusContentType, type Registry } from 'prom-client';

/**
 * Metrics of every worker of one instance (LATCHKEY_WORKERS > 1), summed in the cluster primary with
 * prom-client's AggregatorRegistry: each worker counts its own requests, and a scrape that reached one
 * of them would otherwise show that worker's share only. The primary asks every worker for its metrics
 * (prom-client's own messages) and combines them, each metric by its aggregator (sum unless it says
 * otherwise). It serves them itself on LATCHKEY_METRICS_PORT; without one, `/metrics` on the main port
 * lands on some worker, which asks the primary for the combined text.
 */
const SCRAPE = 'latchkey:scrape';
const SCRAPED = 'latchkey:scraped';

interface ScrapeMessage {
  readonly type: typeof SCRAPE;
  readonly id: number;
}

interface ScrapedMessage {
  readonly type: typeof SCRAPED;
  readonly id: number;
  readonly text?: string;
  readonly error?: string;
}

function isMessage<T extends { type: string; id: number }>(message: unknown, type: T['type']): message is T {
  if (typeof message !== 'object' || message === null) return false;
  const fields = message as { type?: unknown; id?: unknown };
  return fields.type === type && typeof fields.id === 'number';
}

/** In the cluster primary: the combined metrics of every worker, and the answers to workers that were scraped. */
export function aggregateWorkerMetrics(): () => Promise<string> {
  const aggregator = new AggregatorRegistry<PrometheusContentType>();
  const render = (): Promise<string> => aggregator.clusterMetrics();
  cluster.on('message', (worker, message: unknown) => {
    if (!isMessage<ScrapeMessage>(message, SCRAPE)) return;
    const answer = (reply: Omit<ScrapedMessage, 'type' | 'id'>): void => {
      if (worker.isConnected()) worker.send({ type: SCRAPED, id: message.id, ...reply } satisfies ScrapedMessage);
    };
    render().then(
      (text) => answer({ text }),
      (error: unknown) => answer({ error: error instanceof Error ? error.message : String(error) }),
    );
  });
  return render;
}

export interface WorkerMetrics {
  /** Hands this worker's registry to the primary's requests (until then it contributes nothing). */
  share(registry: Registry): void;
  /** The combined metrics of every worker, from the primary; rejects when it does not answer in time. */
  scrape(): Promise<string>;
}

/**
 * In a worker: answers the primary's requests for this worker's metrics. Call it as the worker starts,
 * so that a scrape meanwhile gets an (empty) answer instead of waiting for one that never comes.
 */
export function joinWorkerMetrics(timeoutMs = 6_000): WorkerMetrics {
  // Constructing one installs prom-client's answering listener in this worker; it reports the registries
  // given to setRegistries.
  new AggregatorRegistry<PrometheusContentType>();
  const pending = new Map<number, (message: ScrapedMessage) => void>();
  let next = 0;
  process.on('message', (message: unknown) => {
    if (isMessage<ScrapedMessage>(message, SCRAPED)) pending.get(message.id)?.(message);
  });
  return {
    share(registry) {
      AggregatorRegistry.setRegistries(registry);
    },
    scrape() {
      const send = process.send?.bind(process);
      if (send === undefined) return Promise.reject(new Error('not a cluster worker'));
      return new Promise<string>((resolve, reject) => {
        const id = ++next;
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`the cluster primary did not answer within ${timeoutMs} ms`));
        }, timeoutMs);
        timer.unref();
        pending.set(id, (message) => {
          clearTimeout(timer);
          pending.delete(id);
          if (message.text !== undefined) resolve(message.text);
          else reject(new Error(message.error ?? 'the cluster primary sent no metrics'));
        });
        send({ type: SCRAPE, id } satisfies ScrapeMessage);
      });
    },
  };
}
