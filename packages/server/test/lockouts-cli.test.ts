import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.js';

describe('latchkey lockouts list', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.dispose());

  it('shows the lock-outs a running server recorded, as one JSON document', async () => {
    const empty = await server.cli(['lockouts', 'list']);
    expect(empty).toMatchObject({ code: 0, json: { items: [] } });
    const now = Date.now();
    await server.runtime.storage.lockouts.record({ scope: 'pair', account: 'ada@example.org', address: '192.0.2.9', failures: 10, lockedAt: now, lockedUntil: now + 600_000 });
    const listed = await server.cli(['lockouts', 'list']);
    expect(listed.json).toEqual({
      items: [{ scope: 'pair', account: 'ada@example.org', address: '192.0.2.9', failures: 10, locked_at: new Date(now).toISOString(), locked_until: new Date(now + 600_000).toISOString() }],
    });
  });
});
