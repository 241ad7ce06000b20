import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { stopChild, track, waitFor } from './child-processes.mjs';
import { REQUEST_BODY, basicAuthorization, standInCredentials } from './scenarios.mjs';
import { startScript } from './servers.mjs';

describe('starting and stopping a server', () => {
  it('starts the limit server on a loopback port, gets a token from it, and stops it gracefully', async () => {
    const credentials = standInCredentials();
    const { child, url } = await startScript('limit', 'limit-server.mjs', { pinning: { pinned: false, reason: 'test' }, cpuProfDir: null, credentials, latchkey: null });
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const response = await fetch(`${url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuthorization(credentials.clientId, credentials.clientSecret) },
        body: REQUEST_BODY,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const body = (await response.json()) as { access_token: string; scope: string };
      expect(body.access_token.split('.')).toHaveLength(3);
      expect(body.scope).toBe('email:send email:read');
    } finally {
      await stopChild(child);
    }
    expect(child.exitCode).toBe(0);
  });

  it('fails, naming the process, when it exits before it is ready', async () => {
    const child = track(spawn(process.execPath, ['-e', 'process.exit(3)'], { stdio: 'ignore' }));
    await expect(waitFor('quitter startup', child, 10_000, async () => false)).rejects.toThrow('quitter startup: the process exited (code 3, signal null) before it was ready');
  });
});
