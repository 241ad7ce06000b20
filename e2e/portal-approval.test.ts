import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../packages/server/test/support/test-server.js';
import { startSmtpPeer, type SmtpPeer } from '../packages/server/test/support/smtp-peer.js';
import { launchBrowser, newContext } from './support/browser.js';
import { decodedText, linkUnder, waitForMail } from './support/mail.js';
import { ADMIN, checkPage, logIn, SERVER_ENV } from './support/portal.js';

const TESS = { name: 'Tess Team', email: 'tess@example.org', password: 'amber walrus juggles quietly' };
const ROB = { name: 'Rob Repeat', email: 'rob@example.org', password: 'seven herons fold maps' };

/**
 * The mail that tells administrators about a request leads, in one click after logging in, to a
 * page where they see who asked and decide; the requester is then mailed. Mail goes through a real SMTP
 * peer, and the links are the ones in the messages it received.
 */
describe('deciding a request from the administrators’ mail', { timeout: 90_000 }, () => {
  let smtp: SmtpPeer;
  let server: TestServer;
  let browser: Browser;
  let admin: BrowserContext;
  let boss: Page;

  /** A user who signs up and acts through the API: what they do is not under test here, the admin's page is. */
  async function userContext(user: typeof TESS): Promise<BrowserContext> {
    const context = await newContext(browser, server.url);
    await call(context, 'post', '/users', user);
    await call(context, 'post', '/session', { email: user.email, password: user.password });
    return context;
  }
  async function call(context: BrowserContext, method: 'post' | 'get', path: string, data?: unknown): Promise<void> {
    const response = await context.request[method](`/api/v1${path}`, data === undefined ? {} : { data });
    if (!response.ok()) throw new Error(`${method} ${path}: ${response.status()} ${await response.text()}`);
  }

  beforeAll(async () => {
    smtp = await startSmtpPeer();
    [server, browser] = await Promise.all([
      startTestServer({ env: { ...SERVER_ENV, LATCHKEY_SMTP_URL: smtp.url, LATCHKEY_MAIL_POLL_MS: '20', LATCHKEY_APPROVAL_ENVIRONMENTS: 'test' } }),
      launchBrowser(),
    ]);
    admin = await newContext(browser, server.url);
    boss = await admin.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
    await smtp?.close();
  });

  it('an administrator follows the mail’s link, logs in, sees who asked and approves; the requester is mailed', async () => {
    const tess = await userContext(TESS);
    await call(tess, 'post', '/applications', { acronym: 'ACR', name: 'Acme Claims Register', description: 'Files and tracks claims' });
    const link = linkUnder(await waitForMail(smtp, ADMIN.email, 'Application ACR waits for your approval'), 'Review ACR');

    await boss.goto(link);
    await logIn(boss, ADMIN.email, ADMIN.password);
    // Log-in returns to the page the link named.
    await boss.getByRole('heading', { level: 1, name: 'Account request: ACR' }).waitFor();
    expect(new URL(boss.url()).pathname).toBe(new URL(link).pathname);
    const request = boss.getByRole('region', { name: 'The request' });
    await request.getByText(TESS.name).waitFor();
    await request.getByRole('link', { name: TESS.email }).waitFor();
    await request.getByText('Acme Claims Register').waitFor();
    await request.getByText('Files and tracks claims').waitFor();
    expect(await request.locator('time').count()).toBeGreaterThan(0);
    await checkPage(boss, 'admin-request-review', 'Account request: ACR');
    // The application's own page points administrators to the same place.
    await boss.goto('/applications/ACR');
    await boss.getByRole('link', { name: 'Review the request' }).click();
    await boss.getByRole('heading', { level: 1, name: 'Account request: ACR' }).waitFor();

    await boss.getByRole('button', { name: 'Approve: ACR' }).click();
    await boss.getByText('ACR approved; the requester has been emailed.').waitFor();
    await boss.getByText(/^Approved on /).waitFor();
    expect(await boss.getByRole('button', { name: 'Approve: ACR' }).count()).toBe(0);
    await checkPage(boss, 'admin-request-approved', 'Account request: ACR');

    const mail = await waitForMail(smtp, TESS.email, 'Your application ACR was approved');
    expect(linkUnder(mail, 'Open ACR')).toBe(`${server.url}/applications/ACR`);

    // The link still works once decided: it says so, and offers no second decision.
    await boss.goto(link);
    await boss.getByText(/^Approved on /).waitFor();
    expect(await boss.getByRole('button', { name: /^Approve/ }).count()).toBe(0);
    await tess.close();
  });

  it('rejects with a reason, which reaches the requester', async () => {
    const rob = await userContext(ROB);
    await call(rob, 'post', '/applications', { acronym: 'DUP', name: 'Duplicate Claims', description: 'Another claims register' });
    const link = linkUnder(await waitForMail(smtp, ADMIN.email, 'Application DUP waits for your approval'), 'Review DUP');

    await boss.goto(link);
    await boss.getByRole('heading', { level: 1, name: 'Account request: DUP' }).waitFor();
    await boss.getByRole('region', { name: 'The request' }).getByText(ROB.email).waitFor();
    await boss.getByLabel('Reason (sent to the requester)').fill('Use the shared ACR account');
    await boss.getByRole('button', { name: 'Reject: DUP' }).click();
    await boss.getByText('DUP rejected; the requester has been emailed.').waitFor();
    await boss.getByText(/^Rejected on /).waitFor();
    await boss.getByText('Use the shared ACR account').waitFor();

    const mail = await waitForMail(smtp, ROB.email, 'Your application DUP was rejected');
    expect(decodedText(mail.raw)).toContain('Reason: Use the shared ACR account');
    await rob.close();

    // The same page in French, for an administrator whose browser speaks it.
    const french = await newContext(browser, server.url, { locale: 'fr-FR' });
    await call(french, 'post', '/session', ADMIN);
    const page = await french.newPage();
    await page.goto(link);
    await page.getByText(/^Refusée le /).waitFor();
    await page.getByText('Motif : Use the shared ACR account').waitFor();
    await checkPage(page, 'fr-admin-request-review', 'Demande de compte : DUP');
    await french.close();
  });

  it('an environment waiting for approval is decided from its own mail link', async () => {
    await call(admin, 'post', '/services', { key: 'docs', name: 'Document service', description: 'Renders documents', scopes: [{ name: 'docs:render', description: 'Render' }] });
    const tess = await newContext(browser, server.url);
    await call(tess, 'post', '/session', { email: TESS.email, password: TESS.password });
    await call(tess, 'post', '/applications/ACR/environments/dev', { services: [{ key: 'docs' }] });
    await call(tess, 'post', '/applications/ACR/environments/test', { services: [{ key: 'docs', scopes: ['docs:render'] }] });
    const link = linkUnder(await waitForMail(smtp, ADMIN.email, 'ACR asks for test credentials'), 'Review ACR TEST');

    await boss.goto(link);
    await boss.getByRole('heading', { level: 1, name: 'Environment request: ACR TEST' }).waitFor();
    const request = boss.getByRole('region', { name: 'The request' });
    await request.getByText(TESS.name).waitFor();
    await request.getByText('Document service').waitFor();
    await request.getByText('docs:render').waitFor();
    await checkPage(boss, 'admin-environment-review', 'Environment request: ACR TEST');
    await boss.goto('/applications/ACR');
    await boss.getByRole('link', { name: 'Review the request' }).click();
    await boss.getByRole('heading', { level: 1, name: 'Environment request: ACR TEST' }).waitFor();
    await boss.getByRole('button', { name: 'Approve: ACR TEST' }).click();
    await boss.getByText('ACR TEST approved; the requester has been emailed.').waitFor();
    await waitForMail(smtp, TESS.email, 'ACR test was approved');
    await tess.close();
  });

  it('someone who is not an administrator following the link is told so, and pointed to the application', async () => {
    const tess = await newContext(browser, server.url);
    await call(tess, 'post', '/session', { email: TESS.email, password: TESS.password });
    const page = await tess.newPage();
    await page.goto('/admin/requests/ACR');
    await page.getByText('Only administrators decide requests.').waitFor();
    expect(await page.getByRole('button', { name: /^Approve/ }).count()).toBe(0);
    await checkPage(page, 'admin-request-not-admin', 'Account request: ACR');
    await page.getByRole('link', { name: 'Open ACR' }).click();
    await page.getByRole('heading', { level: 1, name: /^ACR/ }).waitFor();
    await tess.close();
  });
});
