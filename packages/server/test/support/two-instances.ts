import type { Backend, FreshDatabase } from './databases.js';
import { startTestServer, type TestServer } from './test-server.js';

/** Two Latchkey instances sharing one fresh database: a change made on one must reach the other. */
export interface TwoInstances {
  readonly a: TestServer;
  readonly b: TestServer;
  readonly database: FreshDatabase;
  /** Closes both servers, runs `beforeDrop` (what must stop once they are gone), then drops the database. */
  dispose(beforeDrop?: () => void): Promise<void>;
}

/**
 * On PostgreSQL the change poll is a minute, so only LISTEN/NOTIFY can carry a change from B to A in
 * time; on SQLite, which has only its poll, it runs every 50 ms.
 */
export async function startTwoInstances(backend: Backend): Promise<TwoInstances> {
  const database = await backend.fresh();
  const poll = backend.name === 'PostgreSQL' ? '60000' : '50';
  const a = await startTestServer({ env: { LATCHKEY_DATABASE_URL: database.url, LATCHKEY_CHANGE_POLL_MS: poll } });
  const b = await startTestServer({ shareWith: a });
  return {
    a,
    b,
    database,
    async dispose(beforeDrop) {
      await b.dispose();
      await a.dispose();
      beforeDrop?.();
      await database.drop();
    },
  };
}
