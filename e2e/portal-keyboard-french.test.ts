import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { startTestServer, type TestServer } from '../packages/server/test/support/test-server.js';
import { launchBrowser, newContext, screenshot } from './support/browser.js';
import { focusedName, tabTo } from './support/keyboard.js';
import { ADMIN, checkPage, Journey, listedRoutes, SERVER_ENV } from './support/portal.js';

describe('the portal with the keyboard only, and in French', { timeout: 90_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let admin: BrowserContext;
  let routes: Set<string>;
  const ONBOARDING = ['POST /api/v1/users', 'POST /api/v1/applications', 'GET /api/v1/applications/{a}', 'POST /api/v1/applications/{a}/approval', 'POST /api/v1/services', 'POST /api/v1/applications/{a}/environments/{env}'];

  /** What the administrator does is not under test here: it goes through the API. */
  async function asAdmin(method: 'post' | 'put', path: string, data: unknown): Promise<void> {
    const response = await admin.request[method](`/api/v1${path}`, { data });
    if (!response.ok()) throw new Error(`${method} ${path}: ${response.status()} ${await response.text()}`);
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ env: { ...SERVER_ENV, LATCHKEY_APPROVAL_ENVIRONMENTS: 'test' } }), launchBrowser()]);
    admin = await newContext(browser, server.url);
    await asAdmin('post', '/session', ADMIN);
    routes = await listedRoutes(server.url);
    await asAdmin('post', '/services', { key: 'docs', name: 'Document service', description: 'Renders documents', scopes: [{ name: 'docs:render', description: 'Render' }] });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('signs up, requests an account and registers DEV with the keyboard alone', async () => {
    new Journey(routes).needs(...ONBOARDING);
    const context = await newContext(browser, server.url);
    const page = await context.newPage();
    await page.goto('/signup');
    await page.getByRole('heading', { level: 1, name: 'Sign up' }).waitFor();
    // A new page puts focus on its heading; the skip link is the first stop before it.
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    await tabTo(page, 'Skip to the main content', 15, true);
    await page.keyboard.press('Enter');
    await tabTo(page, 'Name *');
    await page.keyboard.type('Kim Keys');
    await page.keyboard.press('Tab');
    await page.keyboard.type('kim@example.org');
    await page.keyboard.press('Tab');
    await page.keyboard.type('orange kettle drums softly');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'My applications' }).waitFor();

    await tabTo(page, 'Acronym *');
    await page.keyboard.type('KEY');
    await tabTo(page, 'Request account');
    await page.keyboard.press('Enter');
    await page.getByText('This account request waits for an administrator').waitFor();
    await asAdmin('post', '/applications/KEY/approval', { decision: 'approve' });

    await page.reload();
    await page.getByRole('button', { name: 'Register DEV' }).waitFor();
    await tabTo(page, 'Register DEV');
    await page.keyboard.press('Enter');
    // Focus moved into the form the button opened.
    expect(await focusedName(page)).toBe('Full name of the application');
    await tabTo(page, /^Document service/);
    await page.keyboard.press('Space');
    await tabTo(page, 'Register DEV and show the secret');
    await page.keyboard.press('Enter');

    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    // Focus moved into the dialog, and stays there.
    expect(await focusedName(page)).toBe('Client secret');
    await tabTo(page, 'I have saved it somewhere safe', 5);
    await page.keyboard.press('Space');
    await tabTo(page, 'Close', 3);
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });

    // A dialog gives focus back to what opened it.
    await tabTo(page, 'Regenerate secret');
    await page.keyboard.press('Enter');
    await page.getByRole('alertdialog').waitFor();
    expect(await focusedName(page)).toBe('Cancel');
    await page.keyboard.press('Escape');
    await page.getByRole('alertdialog').waitFor({ state: 'detached' });
    expect(await focusedName(page)).toBe('Regenerate secret');
    await context.close();
  });

  it('speaks French when the browser does, and switches language on request', async () => {
    new Journey(routes).needs(...ONBOARDING);
    const context = await newContext(browser, server.url, { locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto('/login');
    await checkPage(page, 'fr-login', 'Connexion');
    expect(await page.getAttribute('html', 'lang')).toBe('fr');

    await page.getByRole('link', { name: 'Créer un compte' }).click();
    await page.getByLabel('Nom').fill('Françoise Fr');
    await page.getByLabel('Adresse e-mail').fill('francoise@example.org');
    await page.getByLabel('Mot de passe').fill('phrase de passe assez longue');
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await checkPage(page, 'fr-applications', 'Mes applications');
    await page.getByLabel('Acronyme').fill('FRA');
    await page.getByRole('button', { name: 'Demander le compte' }).click();
    await page.getByText('Cette demande de compte attend un administrateur').waitFor();
    await asAdmin('post', '/applications/FRA/approval', { decision: 'approve' });
    await page.reload();
    await page.getByRole('button', { name: 'Enregistrer DEV' }).waitFor();
    await checkPage(page, 'fr-application', /^FRA/);
    await page.goto('/applications/FRA/environments/dev/token');
    await checkPage(page, 'fr-get-access-token', /Obtenir un jeton d’accès/);
    // Before DEV is registered the SDK code shows a placeholder client ID, as the notice says.
    const sdk = page.getByRole('region', { name: 'SDK (Node.js)' });
    await sdk.getByText('Avec @latchkey/sdk.').waitFor();
    expect(await sdk.locator('pre').textContent()).toContain("clientId: 'YOUR_CLIENT_ID',");
    await sdk.getByRole('button', { name: 'Copier le code SDK' }).waitFor();

    await page.getByLabel('Langue').selectOption('en');
    await page.getByRole('heading', { level: 1, name: /Get Access Token/ }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: /Get Access Token/ }).waitFor();
    await context.close();
  });

  it('lets an administrator approve an environment that needs approval', async () => {
    new Journey(routes).needs(...ONBOARDING, 'POST /api/v1/applications/{a}/environments/{env}/approval');
    const context = await newContext(browser, server.url);
    const page = await context.newPage();
    await page.goto('/applications/KEY');
    await page.getByLabel('Email address').fill('kim@example.org');
    await page.getByLabel('Password').fill('orange kettle drums softly');
    await page.getByRole('button', { name: 'Log in' }).last().click();
    await page.getByText('An administrator approves registrations of this environment.').waitFor();
    await page.getByRole('button', { name: 'Register TEST', exact: true }).click();
    await page.getByLabel('Document service').check();
    await page.getByRole('button', { name: 'Register TEST and show the secret' }).click();
    await page.getByText('This registration waits for an administrator.').waitFor();

    const boss = await admin.newPage();
    await boss.goto('/admin/requests');
    await boss.getByRole('button', { name: 'Approve: KEY TEST' }).click();
    await boss.getByText('KEY TEST approved').waitFor();
    await checkPage(boss, 'admin-environment-approved', /Requests/);

    await page.reload();
    await page.getByRole('heading', { level: 3, name: /TEST\s+Registered/ }).waitFor();
    await context.close();
  });

  it('works at phone width', async () => {
    new Journey(routes).needs(...ONBOARDING);
    const context = await newContext(browser, server.url, { phone: true });
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Email address').fill('kim@example.org');
    await page.getByLabel('Password').fill('orange kettle drums softly');
    await page.getByRole('button', { name: 'Log in' }).last().click();
    await page.getByRole('heading', { level: 1, name: 'My applications' }).waitFor();
    await page.goto('/applications/KEY');
    await checkPage(page, 'phone-application', /^KEY/);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'phone-application');
    await context.close();
  });
});
