import type { Page } from 'playwright-core';

/** The focused element's accessible-ish name: its label's text, aria-label or own text. */
export async function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return '';
    const labelled = el.getAttribute('aria-label') ?? (el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null);
    return (labelled ?? el.textContent ?? '').trim();
  });
}

/** Presses Tab (Shift+Tab with `backwards`) until the focused element's name matches (at most `limit` presses). */
export async function tabTo(page: Page, name: string | RegExp, limit = 40, backwards = false): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    const current = await focusedName(page);
    if (typeof name === 'string' ? current === name : name.test(current)) return;
  }
  throw new Error(`Tab never reached ${String(name)}`);
}
