import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../packages/server/test/support/test-server.js';
import { axeViolations, launchBrowser, newContext, screenshot } from './support/browser.js';

describe('the portal in a real browser', { timeout: 60_000 }, () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('is served at / from the same origin as the API and passes axe', async () => {
    const context = await newContext(browser, server.url);
    const page = await context.newPage();
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'smoke-home');
    await context.close();
  });
});
