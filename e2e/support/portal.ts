import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, screenshot } from './browser.js';

export const ADMIN = { email: 'admin@example.org', password: 'admin passphrase for the e2e run' };

/** Environment for a test server with an administrator and no mail transport (mail stays in the outbox). */
export const SERVER_ENV = { LATCHKEY_ADMIN_EMAIL: ADMIN.email, LATCHKEY_ADMIN_PASSWORD: ADMIN.password };

/** Waits for the page's heading, checks it with axe-core, and saves a screenshot named after it. */
export async function checkPage(page: Page, name: string, heading?: string | RegExp): Promise<void> {
  if (heading !== undefined) await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  await page.waitForFunction(() => ![...document.querySelectorAll('[role="status"]')].some((e) => /Loading|Chargement/.test(e.textContent ?? '')));
  expect(await axeViolations(page), `axe on ${name}`).toEqual([]);
  await screenshot(page, name);
}

export async function logIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).last().click();
}

export async function signUp(page: Page, user: { name: string; email: string; password: string }): Promise<void> {
  await page.getByLabel('Name').fill(user.name);
  await page.getByLabel('Email address').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Create my account' }).click();
}

/** `METHOD /path` of every route the server's OpenAPI document lists, path parameters written `{}`. */
export async function listedRoutes(baseUrl: string): Promise<Set<string>> {
  const document = (await (await fetch(`${baseUrl}/api/openapi.json`)).json()) as { paths?: Record<string, Record<string, unknown>> };
  return new Set(
    Object.entries(document.paths ?? {}).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path.replace(/\{[^}]*\}/g, '{}')}`)),
  );
}

/**
 * The portal API routes a journey step calls. A step whose routes the server does not list fails,
 * naming them, before it drives the browser: a journey that cannot run is a failure, never a skip.
 */
export class Journey {
  private readonly routes: Set<string>;
  constructor(routes: Set<string>) {
    this.routes = routes;
  }
  needs(...wanted: string[]): void {
    const missing = wanted.filter((w) => !this.routes.has(w.replace(/\{[^}]*\}/g, '{}')));
    expect(missing, 'routes this step calls that /api/openapi.json does not list').toEqual([]);
  }
}
