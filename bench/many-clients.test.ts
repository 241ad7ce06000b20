import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, stopChild } from './child-processes.mjs';
import { addClients, copyAcronym } from './many-clients.mjs';
import { REQUEST_BODY } from './scenarios.mjs';
import { provisionLatchkey, startLatchkey } from './servers.mjs';

afterAll(() => removeTempDirs());

describe('addClients', () => {
  it('names every copy apart from the CLI-made application', () => {
    expect([0, 35, 36, 1_000_000].map(copyAcronym)).toEqual(['C0000', 'C000Z', 'C0010', 'CLFLS']);
  });

  it('inserts clients that Latchkey, as built, issues tokens to', async () => {
    const latchkey = await provisionLatchkey();
    const added = await addClients(latchkey, 40);
    const lines = readFileSync(added.file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(40);
    expect(new Set(lines).size).toBe(40);
    expect(added.sample).toBe(lines[39]);
    const { child, url } = await startLatchkey({ pinning: { pinned: false, reason: 'test' }, cpuProfDir: null, credentials: latchkey, latchkey });
    try {
      for (const authorization of [lines[0], lines[17], lines[39]]) {
        const response = await fetch(`${url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: authorization ?? '' }, body: REQUEST_BODY });
        expect(response.status).toBe(200);
      }
      const wrong = `Basic ${Buffer.from(`${Buffer.from((lines[17] ?? '').slice(6), 'base64').toString().split(':')[0]}:lks_wrong`).toString('base64')}`;
      const refused = await fetch(`${url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: wrong }, body: REQUEST_BODY });
      expect(refused.status).toBe(401);
    } finally {
      await stopChild(child);
    }
  }, 60_000);
});
