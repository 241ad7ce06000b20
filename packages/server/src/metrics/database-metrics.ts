import type { Registry } from 'prom-client';
import type { MailStatus, OutboxStore } from '../domain/mail/outbox.js';
import type { DatabaseUsage } from '../storage/database.js';
import { registerCollected, type Sample } from './collected-metric.js';

// A scrape must answer while the database is away: the outbox count waits this long, then is left out.
const COUNT_TIMEOUT_MS = 1_000;

export interface DatabaseMetricsSources {
  readonly usage: () => DatabaseUsage;
  readonly outbox: Pick<OutboxStore, 'countByStatus'>;
}

/** The connection pool (or SQLite's files) of this process, and the outbox of the whole instance, read at each scrape. */
export function registerDatabaseMetrics(registry: Registry, sources: DatabaseMetricsSources): void {
  registerCollected(registry, {
    name: 'latchkey_db_pool_connections',
    help: 'PostgreSQL connections of this process by state: busy (running a query or transaction), idle, waiting (callers queued for a connection), max (the pool size)',
    type: 'gauge',
    samples: () => {
      const usage = sources.usage();
      if (usage.dialect !== 'postgres') return [];
      return (['busy', 'idle', 'waiting', 'max'] as const).map((state) => ({ labels: { state }, value: usage[state] }));
    },
  });
  registerCollected(registry, {
    name: 'latchkey_db_sqlite_bytes',
    help: 'Size of the SQLite database by file: main, or wal (a WAL that keeps growing means checkpoints cannot complete)',
    type: 'gauge',
    // Every worker reads the same files.
    aggregator: 'max',
    samples: () => {
      const usage = sources.usage();
      if (usage.dialect !== 'sqlite') return [];
      return [
        { labels: { file: 'main' }, value: usage.bytes },
        { labels: { file: 'wal' }, value: usage.walBytes },
      ];
    },
  });
  registerCollected(registry, {
    name: 'latchkey_mail_outbox_messages',
    help: 'Messages in the outbox (shared by every process and instance) by status: queued (waiting for delivery or a retry), sent, logged, failed',
    type: 'gauge',
    // Every worker counts the same table.
    aggregator: 'max',
    samples: async (): Promise<Sample[]> => {
      const counts = await withinTimeout(sources.outbox.countByStatus()).catch(() => null);
      if (counts === null) return [];
      return (Object.entries(counts) as [MailStatus, number][]).map(([status, value]) => ({ labels: { status }, value }));
    },
  });
}

async function withinTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${COUNT_TIMEOUT_MS} ms`)), COUNT_TIMEOUT_MS);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
