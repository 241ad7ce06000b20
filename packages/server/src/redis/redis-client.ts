import { Redis } from 'ioredis';

/**
 * A Redis connection for shared counters. Commands fail fast while Redis is unreachable (a command waits
 * in the offline queue for one reconnection attempt at most) so a login answers "unavailable" instead of
 * hanging.
 */
export function openRedis(url: string): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    enableOfflineQueue: true,
    lazyConnect: false,
  });
  // Connection errors surface on the commands that need the connection; ioredis reconnects by itself.
  redis.on('error', () => undefined);
  return redis;
}
