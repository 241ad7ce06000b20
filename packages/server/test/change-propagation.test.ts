import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, postForm, provisionClient, type ProvisionedClient, type TestServer } from './support/test-server.js';
import { storageBackends } from './support/databases.js';
import { startTwoInstances, type TwoInstances } from './support/two-instances.js';

const backends = await storageBackends('change propagation across processes');

const status = async (server: TestServer, client: ProvisionedClient, secret = client.clientSecret): Promise<number> =>
  (await postForm(`${server.url}/oauth/token`, { grant_type: 'client_credentials' }, { authorization: basic(client.clientId, secret) })).status;

/** Waits until `check` holds, polling; state changes travel through the change log, not instantly. */
async function eventually(check: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.each(backends)('state changes reach every running process without a restart ($name)', (backend) => {
  let instances: TwoInstances;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    if (backend.skip) return;
    // Polling is slow on purpose here: PostgreSQL must deliver through LISTEN/NOTIFY, SQLite through the poll.
    instances = await startTwoInstances(backend);
    ({ a, b } = instances);
  });
  afterAll(async () => {
    if (!backend.skip) await instances.dispose();
  });

  it.skipIf(backend.skip)('serves a client created by the CLI in another process, on both instances', async () => {
    await a.cli(['service', 'create', '--key', 'email', '--name', 'Email', '--scopes', 'email:send']);
    await a.cli(['app', 'create', '--acronym', 'CLIAPP']);
    // Both instances have looked the client up (and cached the miss) before it exists.
    expect(await status(a, { clientId: 'cliapp-dev-unknown', clientSecret: 'x' })).toBe(401);
    const created = await a.cli(['client', 'create', '--app', 'CLIAPP', '--env', 'dev', '--service', 'email']);
    const client = created.json as { client_id: string; client_secret: string };
    const provisioned = { clientId: client.client_id, clientSecret: client.client_secret };
    await eventually(async () => (await status(a, provisioned)) === 200 && (await status(b, provisioned)) === 200);
  });

  it.skipIf(backend.skip)('stops the old secret at once on every instance when the CLI rotates it', async () => {
    const client = await provisionClient(a.runtime, { acronym: 'ROTATE' });
    expect(await status(a, client)).toBe(200);
    expect(await status(b, client)).toBe(200);
    const rotated = (await a.cli(['client', 'rotate-secret', client.clientId])).json as { client_secret: string };
    await eventually(async () => (await status(a, client)) === 401 && (await status(b, client)) === 401);
    expect(await status(a, client, rotated.client_secret)).toBe(200);
    expect(await status(b, client, rotated.client_secret)).toBe(200);
  });

  it.skipIf(backend.skip)('keeps the old secret working for the overlap asked for', async () => {
    const client = await provisionClient(a.runtime, { acronym: 'GRACE' });
    const rotated = (await a.cli(['client', 'rotate-secret', client.clientId, '--grace', '3600'])).json as { client_secret: string; previous_secrets_expire_at: string };
    await b.runtime.syncChanges();
    expect(await status(b, client)).toBe(200);
    expect(await status(b, client, rotated.client_secret)).toBe(200);
    expect(Date.parse(rotated.previous_secrets_expire_at) - Date.now()).toBeGreaterThan(3_500_000);
  });

  it.skipIf(backend.skip)('refuses a disabled client on another instance and accepts it again once enabled', async () => {
    const client = await provisionClient(a.runtime, { acronym: 'TOGGLE' });
    expect(await status(b, client)).toBe(200);
    await a.cli(['client', 'disable', client.clientId]);
    await eventually(async () => (await status(b, client)) === 401);
    await a.cli(['client', 'enable', client.clientId]);
    await eventually(async () => (await status(b, client)) === 200);
  });
});
