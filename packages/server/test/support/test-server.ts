import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { pino, type Logger } from 'pino';
import { loadConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/serve.js';
import { CLI_ACTOR } from '../../src/domain/actor.js';
import { createService } from '../../src/domain/catalog/create-service.js';
import { createApplication } from '../../src/domain/applications/create-application.js';
import { createClient, type CreateClientInput } from '../../src/domain/clients/create-client.js';
import type { Runtime } from '../../src/runtime.js';

const run = promisify(execFile);
export const CLI_PATH = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** A free loopback port (so the issuer can name it before the server listens). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface TestServer extends RunningServer {
  /** The LATCHKEY_* environment this server runs with (share it to run the CLI or a second process). */
  readonly env: Record<string, string>;
  readonly dataDir: string;
  /** Runs `latchkey --json <args>` as a separate process against the same database. */
  cli(args: readonly string[]): Promise<{ code: number; json: unknown; stderr: string }>;
  /** Closes the server and removes its data directory. */
  dispose(): Promise<void>;
}

export interface TestServerOptions {
  readonly env?: Readonly<Record<string, string>>;
  /** Reuse another server's data directory and database (a second instance). */
  readonly shareWith?: TestServer;
  /** Where the server logs (default: nowhere). */
  readonly log?: Logger;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const port = await freePort();
  const dataDir = options.shareWith?.dataDir ?? mkdtempSync(join(tmpdir(), 'latchkey-test-'));
  const env: Record<string, string> = {
    LATCHKEY_HOST: '127.0.0.1',
    LATCHKEY_ISSUER: `http://127.0.0.1:${port}`,
    LATCHKEY_DATA_DIR: dataDir,
    LATCHKEY_CHANGE_POLL_MS: '50',
    LATCHKEY_JWKS_MAX_AGE: '0',
    // A second instance shares everything (database, server key, issuer) but its port.
    ...options.shareWith?.env,
    ...options.env,
    LATCHKEY_PORT: String(port),
  };
  env.LATCHKEY_DATABASE_URL ||= `sqlite:${join(dataDir, 'latchkey.db')}`;
  const server = await startServer(loadConfig(env), options.log ?? pino({ level: 'silent' }));
  return {
    ...server,
    env,
    dataDir,
    async cli(args) {
      try {
        const { stdout, stderr } = await run(process.execPath, [CLI_PATH, '--json', ...args], { env: { ...process.env, ...env } });
        return { code: 0, json: JSON.parse(stdout) as unknown, stderr };
      } catch (error) {
        const failed = error as { code?: number; stdout?: string; stderr?: string };
        return { code: failed.code ?? 1, json: failed.stdout ? (JSON.parse(failed.stdout) as unknown) : null, stderr: failed.stderr ?? '' };
      }
    },
    async dispose() {
      await server.close();
      if (!options.shareWith) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ProvisionedClient {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** Creates (through the domain, in-process) a service, an approved application and its client. */
export async function provisionClient(
  runtime: Runtime,
  input: { acronym?: string; env?: string; services?: CreateClientInput['services']; tokenTtl?: number; serviceKeys?: Record<string, string[]> } = {},
): Promise<ProvisionedClient> {
  const serviceKeys = input.serviceKeys ?? { email: ['email:send', 'email:read'] };
  for (const [key, scopes] of Object.entries(serviceKeys)) {
    if (await runtime.storage.services.get(key)) continue;
    await createService(
      { storage: runtime.storage, clock: runtime.clock, environments: runtime.config.environments },
      { actor: CLI_ACTOR, key, name: key, scopes: scopes.map((name) => ({ name, description: '' })) },
    );
  }
  const acronym = input.acronym ?? `APP${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
  if (!(await runtime.storage.applications.getByAcronym(acronym))) {
    await createApplication(runtime, { actor: CLI_ACTOR, acronym, status: 'approved' });
  }
  const created = await createClient(
    { storage: runtime.storage, clock: runtime.clock, random: runtime.random, serverKeys: runtime.serverKeys, environments: runtime.config.environments },
    {
      actor: CLI_ACTOR,
      acronym,
      env: input.env ?? 'dev',
      services: input.services ?? Object.keys(serviceKeys).map((key) => ({ key })),
      ...(input.tokenTtl === undefined ? {} : { tokenTtl: input.tokenTtl }),
    },
  );
  return { clientId: created.client.clientId, clientSecret: created.clientSecret };
}

export function basic(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`;
}

export async function postForm(url: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form).toString() });
}

export async function tokenFor(server: TestServer, client: ProvisionedClient, form: Record<string, string> = {}): Promise<string> {
  const response = await postForm(`${server.url}/oauth/token`, { grant_type: 'client_credentials', ...form }, { authorization: basic(client.clientId, client.clientSecret) });
  const body = (await response.json()) as { access_token?: string };
  if (response.status !== 200 || !body.access_token) throw new Error(`token request failed: ${response.status} ${JSON.stringify(body)}`);
  return body.access_token;
}
