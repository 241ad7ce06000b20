import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** The Redis the suites use (keys under a throwaway prefix per run); override with LATCHKEY_TEST_REDIS_URL. */
export const REDIS_URL = process.env.LATCHKEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const IN_CI = process.env.CI === 'true';

/** Null when Redis answers, else why not. */
export async function probeRedis(url = REDIS_URL): Promise<string | null> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    redis.disconnect();
  }
}

/**
 * Whether to skip Redis-backed tests: outside CI an unreachable Redis is skipped with a loud warning;
 * with CI=true it is not skipped, and the tests fail with the reason.
 */
export async function redisSkip(suite: string): Promise<boolean> {
  const problem = await probeRedis();
  if (problem !== null && !IN_CI) {
    console.warn(`\n!! ${suite}: Redis at ${REDIS_URL} does not answer (${problem}); SKIPPING the Redis half (with CI=true this fails).\n`);
    return true;
  }
  return false;
}

/** A unique key prefix, so runs never see each other's counters. */
export function redisPrefix(): string {
  return `latchkey-test:${randomBytes(6).toString('hex')}:`;
}
