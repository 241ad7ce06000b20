import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkSnippet } from '../../contract/src/sdk-snippet.js';
import { provisionClient, startTestServer, type ProvisionedClient, type TestServer } from '../../server/test/support/test-server.js';

const run = promisify(execFile);
const EMAIL = 'urn:latchkey:service:email:dev';
// Inside the package, so that `import '@latchkey/sdk'` resolves as it does in a user's project.
const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

// The code the portal's Get Access Token page shows for a credential, typed as a user pastes it into a
// strict TypeScript project, compiled and run: it gets a token, calls the service with it, and the
// service's verifier accepts it.
describe('the SDK snippet the portal shows', () => {
  let server: TestServer;
  let client: ProvisionedClient;
  let service: Server;
  let serviceUrl: string;
  const seen: string[] = [];
  let dir: string;

  beforeAll(async () => {
    server = await startTestServer();
    client = await provisionClient(server.runtime, { acronym: 'SNIPPET' });
    service = createServer((req, res) => {
      seen.push(req.headers.authorization ?? '');
      res.end('sent');
    });
    await new Promise<void>((done) => service.listen(0, '127.0.0.1', done));
    serviceUrl = `http://127.0.0.1:${(service.address() as AddressInfo).port}/v1/send`;
    dir = mkdtempSync(join(PACKAGE_DIR, '.snippet-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await new Promise<void>((done) => service.close(() => done()));
    await server.dispose();
  });

  it('type-checks under strict TypeScript, runs, and the token it sends verifies', async () => {
    const code = sdkSnippet({ issuer: server.url, clientId: client.clientId, scope: 'email:send', service: { name: 'Email', audience: EMAIL, baseUrl: serviceUrl } });
    const file = join(dir, 'snippet.ts');
    // What the reader adds to see it work: nothing else changes.
    writeFileSync(file, `${code}\nconsole.log(JSON.stringify({ status: res.status, subject: principal.subject, scopes: [...principal.scopes] }));\n`);

    const options: ts.CompilerOptions = { strict: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, types: ['node'], skipLibCheck: true };
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    const program = ts.createProgram([file], options);
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);

    const js = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    writeFileSync(join(dir, 'snippet.mjs'), js);
    const { stdout } = await run(process.execPath, [join(dir, 'snippet.mjs')], { env: { ...process.env, CLIENT_SECRET: client.clientSecret } });
    expect(JSON.parse(stdout)).toEqual({ status: 200, subject: client.clientId, scopes: ['email:send'] });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^Bearer ey/);
  });
});

