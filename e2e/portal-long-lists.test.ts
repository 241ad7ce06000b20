import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { MAX_LIMIT } from '@latchkey/contract';
import { startTestServer, type TestServer } from '../packages/server/test/support/test-server.js';
import { launchBrowser, newContext } from './support/browser.js';
import { ADMIN, checkPage, SERVER_ENV } from './support/portal.js';

/** More services than one page of the API holds: the portal's lists must page through next_cursor. */
const SERVICES = MAX_LIMIT + 5;
const keyOf = (n: number): string => `svc-${String(n).padStart(3, '0')}`;

describe('lists longer than one API page in the browser', { timeout: 90_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let admin: BrowserContext;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ env: SERVER_ENV }), launchBrowser()]);
    admin = await newContext(browser, server.url);
    expect((await admin.request.post('/api/v1/session', { data: ADMIN })).status()).toBe(200);
    for (let n = 1; n <= SERVICES; n += 20) {
      const batch = Array.from({ length: Math.min(20, SERVICES - n + 1) }, (_, i) => n + i);
      const created = await Promise.all(batch.map((i) => admin.request.post('/api/v1/services', { data: { key: keyOf(i), name: `Service ${i}`, scopes: [{ name: `${keyOf(i)}:use` }] } })));
      expect(created.map((r) => r.status())).toEqual(batch.map(() => 201));
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('shows every service of the catalog, past the first page', async () => {
    const firstPage = await admin.request.get('/api/v1/services?limit=200');
    expect(((await firstPage.json()) as { next_cursor: string | null }).next_cursor).not.toBeNull();
    const page = await admin.newPage();
    await page.goto('/admin/catalog');
    await checkPage(page, 'admin-catalog-long', /Service catalog/);
    await page.getByRole('button', { name: `Edit: ${keyOf(SERVICES)}` }).waitFor();
    expect(await page.getByRole('button', { name: /^Edit: svc-/ }).count()).toBe(SERVICES);
  });
});
