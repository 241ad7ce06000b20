import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../packages/server/test/support/test-server.js';
import { launchBrowser, newContext, screenshot } from './support/browser.js';
import { ADMIN, checkPage, Journey, listedRoutes, logIn, SERVER_ENV, signUp } from './support/portal.js';

const TEAM = { name: 'Tess Team', email: 'tess@example.org', password: 'amber walrus juggles quietly' };
const INVITEE = { name: 'Ivan Invitee', email: 'ivan@example.org', password: 'violet comet sings at noon' };

/**
 * The onboarding journey, end to end in Chromium on a real server with a fresh database:
 * sign up, request an account, an administrator approves, DEV/TEST/PROD in order, the secret shown once,
 * a real token on the Get Access Token page, Postman, a team member invited through the outbox link and
 * removed, a personal access token.
 */
describe('the onboarding journey in the browser', { timeout: 90_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let team: BrowserContext;
  let admin: BrowserContext;
  let tess: Page;
  let boss: Page;
  let devSecret = '';
  let journey: Journey;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ env: SERVER_ENV }), launchBrowser()]);
    team = await newContext(browser, server.url);
    admin = await newContext(browser, server.url);
    tess = await team.newPage();
    boss = await admin.newPage();
    journey = new Journey(await listedRoutes(server.url));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('signs a team member up and requests an account', async () => {
    journey.needs('POST /api/v1/users', 'GET /api/v1/applications', 'POST /api/v1/applications', 'GET /api/v1/applications/{acronym}', 'GET /api/v1/applications/{acronym}/members');
    await tess.goto('/');
    await checkPage(tess, 'login', 'Log in');
    await tess.getByRole('link', { name: 'Sign up' }).click();
    await checkPage(tess, 'signup', 'Sign up');
    await signUp(tess, TEAM);
    await checkPage(tess, 'applications-empty', 'My applications');
    await tess.getByLabel('Acronym').fill('ACR');
    await tess.getByLabel('Full name of the application').fill('Acme Claims Register');
    await tess.getByLabel('Description').fill('Files and tracks claims');
    await tess.getByRole('button', { name: 'Request account' }).click();
    await tess.getByText('This account request waits for an administrator').waitFor();
    await checkPage(tess, 'application-pending', /^ACR/);
  });

  it('lets the administrator add a service and approve the request', async () => {
    journey.needs('POST /api/v1/services', 'GET /api/v1/services', 'PATCH /api/v1/services/{key}', 'POST /api/v1/applications/{acronym}/approval');
    await boss.goto('/admin/catalog');
    await logIn(boss, ADMIN.email, ADMIN.password);
    await checkPage(boss, 'admin-catalog', /Service catalog/);
    await boss.getByLabel('Key').fill('email');
    await boss.getByRole('textbox', { name: 'Name', exact: true }).fill('Email service');
    await boss.getByLabel('Scopes').fill('email:send - Send mail\nemail:read - Read delivery status');
    await boss.getByRole('button', { name: 'Add service' }).click();
    await boss.getByText('Service email added.').waitFor();
    await boss.getByRole('button', { name: 'Edit: email' }).click();
    await boss.getByLabel('Description').fill('Sends mail for your application');
    await boss.getByRole('button', { name: 'Save changes' }).click();
    await boss.getByText('Sends mail for your application').waitFor();
    await boss.getByRole('link', { name: 'Requests' }).click();
    await checkPage(boss, 'admin-requests', /Requests/);
    await boss.getByLabel('Reason (sent to the requester)').fill('Welcome aboard');
    await boss.getByRole('button', { name: 'Approve: ACR' }).click();
    await boss.getByText('ACR approved').waitFor();
  });

  it('registers DEV, TEST and PROD in order and shows each secret once', async () => {
    journey.needs('POST /api/v1/applications/{acronym}/environments/{env}');
    await tess.goto('/applications/ACR');
    await tess.getByRole('button', { name: 'Register DEV' }).waitFor();
    expect(await tess.getByRole('button', { name: 'Register TEST' }).isDisabled()).toBe(true);
    await tess.getByText('Register DEV first').waitFor();
    await checkPage(tess, 'application-approved', /^ACR/);
    for (const env of ['DEV', 'TEST', 'PROD']) {
      await tess.getByRole('button', { name: `Register ${env}`, exact: true }).click();
      await tess.getByLabel('Email service').check();
      await tess.getByRole('button', { name: `Register ${env} and show the secret` }).click();
      const dialog = tess.getByRole('alertdialog');
      await dialog.waitFor();
      const close = dialog.getByRole('button', { name: 'Close' });
      expect(await close.isDisabled()).toBe(true);
      const secret = await dialog.getByLabel('Client secret').inputValue();
      expect(secret).toMatch(/^lks_/);
      if (env === 'DEV') {
        devSecret = secret;
        await checkPage(tess, 'secret-reveal');
        await dialog.getByRole('button', { name: 'Copy secret' }).click();
        await dialog.getByText('Copied to the clipboard.').waitFor();
        expect(await tess.evaluate(() => navigator.clipboard.readText())).toBe(secret);
      }
      await dialog.getByLabel('I have saved it somewhere safe').check();
      await close.click();
      await dialog.waitFor({ state: 'detached' });
    }
    // Nothing kept the secret: not the page, not browser storage.
    expect(await tess.content()).not.toContain(devSecret);
    expect(await tess.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }))).not.toContain(devSecret);
    await checkPage(tess, 'application-registered', /^ACR/);
  });

  it('gets a real token on the Get Access Token page', async () => {
    await tess.getByRole('link', { name: 'Get Access Token' }).first().click();
    await checkPage(tess, 'get-access-token', /Get Access Token: ACR DEV/);
    await checkSdkSnippet();
    await tess.getByRole('tab', { name: 'Schema' }).click();
    await tess.getByText('"required"').waitFor();
    await tess.getByLabel('Client secret').fill(devSecret);
    await tess.getByRole('button', { name: 'Send request' }).click();
    await tess.getByText('Decoded token (header and claims)').waitFor();
    const result = await tess.locator('.try-result').textContent();
    expect(result).toContain('200');
    expect(result).toContain('"app": "ACR"');
    await screenshot(tess, 'get-access-token-tried');
  });

  /** The SDK snippet beside curl: this credential filled in, the secret only as a variable, copyable. */
  async function checkSdkSnippet(): Promise<void> {
    const sdk = tess.getByRole('region', { name: 'SDK (Node.js)' });
    const code = (await sdk.locator('pre').textContent()) ?? '';
    const curl = (await tess.getByRole('region', { name: 'curl' }).locator('pre').textContent()) ?? '';
    const clientId = /'client_id=([^']+)'/.exec(curl)?.[1] ?? 'the client id is missing from curl';
    expect(code).toContain("import { createTokenClient } from '@latchkey/sdk';");
    expect(code).toContain(`issuer: '${server.url}',`);
    expect(code).toContain(`clientId: '${clientId}',`);
    expect(code).toContain('clientSecret: process.env.CLIENT_SECRET!,');
    expect(code).toContain("scope: 'email:send email:read',");
    expect(code).toContain(`createVerifier({\n  issuer: '${server.url}',\n  audience: 'urn:latchkey:service:email:dev',\n});`);
    expect(code).toContain('// In the service that receives the calls (Email service):');
    expect(code).not.toContain(devSecret);
    await sdk.getByRole('button', { name: 'Copy SDK code' }).click();
    await sdk.getByText('Copied to the clipboard.').waitFor();
    expect(await tess.evaluate(() => navigator.clipboard.readText())).toBe(code);
  }

  it('gets a token from a legacy dialect on the same page, as JSON', async () => {
    journey.needs('POST /api/auth/v1/authenticate');
    await tess.getByLabel('Endpoint style').selectOption('authenticate');
    await tess.getByText('/api/auth/v1/authenticate').first().waitFor();
    expect(await tess.getByRole('radio', { name: 'JSON' }).isChecked()).toBe(true);
    await tess.getByLabel('Client secret').fill(devSecret);
    await tess.getByRole('button', { name: 'Send request' }).click();
    await tess.getByText('Decoded token (header and claims)').waitFor();
    const result = await tess.locator('.try-result').textContent();
    expect(result).toContain('200');
    expect(result).toContain('tokenValiditySec');
    await screenshot(tess, 'get-access-token-authenticate');
  });

  it('regenerates a secret behind a confirmation that says what breaks, keeping the old one for the overlap', async () => {
    journey.needs('POST /api/v1/applications/{acronym}/environments/{env}/secret');
    await tess.goto('/applications/ACR');
    await tess.getByRole('button', { name: 'Regenerate secret' }).first().click();
    const confirm = tess.getByRole('alertdialog', { name: 'Regenerate the DEV secret?' });
    await confirm.getByText('stops getting tokens').waitFor();
    await confirm.getByLabel('Keep the current secret working for').selectOption('3600');
    await checkPage(tess, 'regenerate-confirm');
    await confirm.getByRole('button', { name: 'Regenerate secret' }).click();
    const reveal = tess.getByRole('alertdialog', { name: 'New client secret for DEV' });
    const secret = await reveal.getByLabel('Client secret').inputValue();
    const clientId = (await reveal.locator('dd code').first().textContent()) ?? '';
    expect(secret).toMatch(/^lks_/);
    expect(secret).not.toBe(devSecret);
    await reveal.getByLabel('I have saved it somewhere safe').check();
    await reveal.getByRole('button', { name: 'Close' }).click();
    // Focus returns to the button that started it.
    expect(await tess.evaluate(() => document.activeElement?.textContent)).toBe('Regenerate secret');
    for (const presented of [secret, devSecret]) {
      const response = await fetch(`${server.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: presented }).toString(),
      });
      expect(response.status).toBe(200);
    }
  });

  it('downloads the Postman collection', async () => {
    journey.needs('GET /api/v1/applications/{acronym}/environments/{env}/postman');
    await tess.goto('/applications/ACR');
    const [download] = await Promise.all([tess.waitForEvent('download'), tess.getByRole('button', { name: 'Download Postman collection' }).first().click()]);
    const collection = JSON.parse(readFileSync(await download.path(), 'utf8')) as { info?: { schema?: string }; variable?: { key: string }[] };
    expect(collection.info?.schema).toContain('v2.1');
    expect(collection.variable?.map((v) => v.key)).toEqual(expect.arrayContaining(['token_url', 'client_id', 'client_secret']));
  });

  it('invites a member through the outbox link, then removes them', async () => {
    journey.needs('POST /api/v1/applications/{acronym}/invitations', 'GET /api/v1/outbox', 'POST /api/v1/invitations/{token}/accept', 'DELETE /api/v1/applications/{acronym}/members/{userId}');
    await tess.goto('/applications/ACR');
    await tess.getByLabel('Email address').fill(INVITEE.email);
    await tess.getByRole('button', { name: 'Send invitation' }).click();
    await tess.getByText(`Invitation sent to ${INVITEE.email}.`).waitFor();

    await boss.goto('/admin/outbox');
    await checkPage(boss, 'admin-outbox', /Mail outbox/);
    const link = await boss.locator('a[href*="/invitations/"]').first().getAttribute('href');
    expect(link).toBeTruthy();

    const invitee = await newContext(browser, server.url);
    const ivan = await invitee.newPage();
    await ivan.goto(link ?? '');
    await ivan.getByRole('link', { name: 'Sign up' }).click();
    await signUp(ivan, INVITEE);
    await ivan.getByText('You joined the team.').waitFor();
    await invitee.close();

    await tess.goto('/applications/ACR');
    const ownRow = tess.getByRole('row', { name: new RegExp(TEAM.email) });
    await ownRow.getByText('you cannot remove yourself').waitFor();
    expect(await ownRow.getByRole('button').count()).toBe(0);
    await tess.getByRole('button', { name: `Remove ${INVITEE.name}` }).click();
    await tess.getByRole('alertdialog').getByRole('button', { name: 'Remove' }).click();
    await tess.getByRole('row', { name: new RegExp(INVITEE.email) }).waitFor({ state: 'detached' });
  });

  it('creates a personal access token once an administrator grants the role, without logging out', async () => {
    journey.needs('GET /api/v1/users', 'PUT /api/v1/users/{id}/roles', 'GET /api/v1/me/tokens', 'POST /api/v1/me/tokens', 'GET /api/v1/me/tokens/scopes', 'POST /api/v1/me/tokens/{id}/generate');
    await tess.goto('/tokens');
    await checkPage(tess, 'tokens-no-role', 'Personal access tokens');
    await tess.getByText('You do not have the “Personal access tokens” role').waitFor();

    await boss.goto('/admin/users');
    await boss.getByLabel(`Personal access tokens for ${TEAM.email}`).check();
    await checkPage(boss, 'admin-users', /Users and roles/);

    await tess.goto('/tokens');
    await tess.getByRole('link', { name: 'Create token' }).click();
    await checkPage(tess, 'token-new', 'New personal access token');
    // Only what Tess holds through ACR is offered, with the environments it holds in.
    await tess.getByText('email — Send mail — DEV, TEST, PROD through ACR').waitFor();
    expect(await tess.getByRole('checkbox').count()).toBe(4);
    expect(await tess.getByRole('checkbox', { name: 'email:read' }).isChecked()).toBe(true);
    expect(await tess.getByRole('checkbox', { name: 'email:send' }).isChecked()).toBe(false);
    await tess.getByRole('textbox', { name: 'Name', exact: true }).fill('ci-script');
    await tess.getByRole('button', { name: 'Create and show the token' }).click();
    const dialog = tess.getByRole('alertdialog');
    expect(await dialog.getByLabel('Token').inputValue()).toMatch(/^ey/);
    await dialog.getByLabel('I have saved it somewhere safe').check();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await tess.getByRole('row', { name: /ci-script/ }).waitFor();
    await checkPage(tess, 'tokens', 'Personal access tokens');

    // The replacement link pre-fills a new token and retires the old one in the same step.
    await tess.getByRole('link', { name: 'Replace: ci-script' }).click();
    await checkPage(tess, 'token-replace', 'Replace a personal access token');
    expect(await tess.getByRole('textbox', { name: 'Name', exact: true }).inputValue()).toBe('ci-script (replacement)');
    await tess.getByRole('button', { name: 'Create and show the token' }).click();
    await tess.getByRole('alertdialog').getByLabel('I have saved it somewhere safe').check();
    await tess.getByRole('alertdialog').getByRole('button', { name: 'Close' }).click();
    await tess.getByRole('row', { name: /ci-script \(replacement\)/ }).waitFor();
    expect(await tess.getByRole('row', { name: /ci-script/ }).count()).toBe(1);

    // The administrator belongs to no application: portal scopes only, and the page says why.
    await boss.goto('/tokens/new');
    await boss.getByText('No service scope is offered because you are not a member of any application').waitFor();
    await checkPage(boss, 'token-new-no-application', 'New personal access token');
    expect(await boss.getByRole('checkbox').count()).toBe(2);
  });

  it('shows the administration pages without accessibility violations', async () => {
    journey.needs('GET /api/v1/tokens', 'GET /api/v1/audit');
    await boss.goto('/admin/tokens');
    await checkPage(boss, 'admin-tokens', /All personal tokens|Requests/);
    await boss.goto('/admin/audit');
    await checkPage(boss, 'admin-audit', /Audit log/);
    await boss.goto('/applications');
    await checkPage(boss, 'admin-applications', 'My applications');
  });
});
