import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { openRuntime, type Runtime } from '../src/runtime.js';
import { enqueueMail } from '../src/domain/mail/enqueue-mail.js';
import { renderMail } from '../src/domain/mail/render-mail.js';
import { DEFAULT_DELIVERY_POLICY } from '../src/domain/mail/deliver-mail.js';
import { freePort, startTestServer } from './support/test-server.js';
import { storageBackends } from './support/databases.js';
import { startSmtpPeer, type SmtpPeer } from './support/smtp-peer.js';

const backends = await storageBackends('mail delivery');

// Delivery through the runtime's mail loop (called directly, not on a timer) to a real SMTP server on loopback.
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A clock the test moves by hand, starting now. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let t = Date.now();
  return { now: () => t, advance: (ms) => void (t += ms) };
}

async function runtimeWith(env: Record<string, string>, options: { clock?: { now: () => number }; logTo?: string[]; dataDir?: string } = {}): Promise<Runtime> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'latchkey-mail-'));
  const lines = options.logTo;
  const log = lines ? pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _e, done) => void (lines.push(chunk.toString()), done()) })) : pino({ level: 'silent' });
  const runtime = await openRuntime(loadConfig({ LATCHKEY_DATA_DIR: dataDir, LATCHKEY_MAIL_FROM: 'Latchkey <noreply@latchkey.test>', ...env }), log, {
    background: false,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  cleanup.push(async () => {
    await runtime.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return runtime;
}

async function peer(options: Parameters<typeof startSmtpPeer>[0] = {}): Promise<SmtpPeer> {
  const started = await startSmtpPeer(options);
  cleanup.push(() => started.close());
  return started;
}

async function queue(runtime: Runtime, to = 'ada@example.com', subject = 'Welcome to BILLING'): Promise<string> {
  const body = renderMail({ greeting: 'Hello Ada,', paragraphs: ['You joined BILLING.'], link: { label: 'Open BILLING', url: 'http://127.0.0.1/applications/BILLING' } });
  const mail = await runtime.storage.transaction((tx) => enqueueMail(tx, { to, subject, ...body, kind: 'member.joined' }, { now: runtime.clock.now(), random: runtime.random }));
  return mail.id;
}

describe('mail delivery over SMTP', () => {
  it('sends a queued message from LATCHKEY_MAIL_FROM, with text and HTML parts, authenticating with the URL credentials', async () => {
    const smtp = await peer({ auth: { user: 'mailer', pass: 's3cret/pass' } });
    const runtime = await runtimeWith({ LATCHKEY_SMTP_URL: smtp.url });
    const id = await queue(runtime);
    expect(await runtime.deliverMail()).toStrictEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(smtp.received).toHaveLength(1);
    const [got] = smtp.received;
    expect(got?.from).toBe('noreply@latchkey.test');
    expect(got?.to).toStrictEqual(['ada@example.com']);
    expect(got?.raw).toMatch(/^Subject: Welcome to BILLING\r?$/m);
    expect(got?.raw).toMatch(/^Content-Type: text\/plain/m);
    expect(got?.raw).toMatch(/^Content-Type: text\/html/m);
    expect(got?.raw).toContain('You joined BILLING.');
    const stored = await runtime.storage.outbox.get(id);
    expect(stored).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    expect(stored?.sentAt).toBeGreaterThanOrEqual(stored?.createdAt ?? Infinity);
    // Nothing is sent twice.
    expect(await runtime.deliverMail()).toStrictEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(smtp.received).toHaveLength(1);
  });

  it('retries a temporary refusal later, showing the error meanwhile, then sends', async () => {
    const smtp = await peer({ refuse: (n) => (n <= 2 ? { code: 451, message: 'greylisted, try again later' } : null) });
    const clock = manualClock();
    const runtime = await runtimeWith({ LATCHKEY_SMTP_URL: smtp.url }, { clock });
    const id = await queue(runtime);

    expect(await runtime.deliverMail()).toStrictEqual({ delivered: 0, retrying: 1, failed: 0 });
    let stored = await runtime.storage.outbox.get(id);
    expect(stored).toMatchObject({ status: 'queued', attempts: 1, nextAttemptAt: clock.now() + DEFAULT_DELIVERY_POLICY.retryBaseMs });
    expect(stored?.lastError).toContain('451');
    expect(stored?.lastError).toContain('greylisted');
    // Not due yet: nothing happens.
    expect(await runtime.deliverMail()).toStrictEqual({ delivered: 0, retrying: 0, failed: 0 });

    clock.advance(DEFAULT_DELIVERY_POLICY.retryBaseMs);
    expect(await runtime.deliverMail()).toStrictEqual({ delivered: 0, retrying: 1, failed: 0 });
    expect((await runtime.storage.outbox.get(id))?.nextAttemptAt).toBe(clock.now() + 2 * DEFAULT_DELIVERY_POLICY.retryBaseMs); // backoff doubles

    clock.advance(2 * DEFAULT_DELIVERY_POLICY.retryBaseMs);
    expect(await runtime.deliverMail()).toStrictEqual({ delivered: 1, retrying: 0, failed: 0 });
    stored = await runtime.storage.outbox.get(id);
    expect(stored).toMatchObject({ status: 'sent', attempts: 3 });
    expect(smtp.received).toHaveLength(1);
  });

  it('gives up at once on a permanent refusal (5xx)', async () => {
    const smtp = await peer({ refuse: () => ({ code: 550, message: 'no such mailbox' }) });
    const runtime = await runtimeWith({ LATCHKEY_SMTP_URL: smtp.url });
    const id = await queue(runtime, 'nobody@example.com');
    expect(await runtime.deliverMail()).toStrictEqual({ delivered: 0, retrying: 0, failed: 1 });
    const stored = await runtime.storage.outbox.get(id);
    expect(stored).toMatchObject({ status: 'failed', attempts: 1 });
    expect(stored?.lastError).toContain('no such mailbox');
  });

  it('keeps retrying a mail server that does not answer, then marks the message failed after the last attempt', async () => {
    const port = await freePort(); // nothing listens there
    const clock = manualClock();
    const runtime = await runtimeWith({ LATCHKEY_SMTP_URL: `smtp://user:hunter2@127.0.0.1:${port}` }, { clock });
    const id = await queue(runtime);
    for (let attempt = 1; attempt < DEFAULT_DELIVERY_POLICY.maxAttempts; attempt++) {
      expect(await runtime.deliverMail()).toStrictEqual({ delivered: 0, retrying: 1, failed: 0 });
      clock.advance(DEFAULT_DELIVERY_POLICY.retryMaxMs);
    }
    expect(await runtime.deliverMail()).toStrictEqual({ delivered: 0, retrying: 0, failed: 1 });
    const stored = await runtime.storage.outbox.get(id);
    expect(stored).toMatchObject({ status: 'failed', attempts: DEFAULT_DELIVERY_POLICY.maxAttempts });
    expect(stored?.lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(stored?.lastError).not.toContain('hunter2');
  });
});

describe('mail without LATCHKEY_SMTP_URL', () => {
  it('is written to the log and kept in the outbox as logged', async () => {
    const lines: string[] = [];
    const runtime = await runtimeWith({}, { logTo: lines });
    const id = await queue(runtime, 'grace@example.com', 'Your invitation');
    expect(await runtime.deliverMail()).toStrictEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(await runtime.storage.outbox.get(id)).toMatchObject({ status: 'logged', attempts: 1 });
    const logged = lines.map((l) => JSON.parse(l) as { mail?: { id: string; to: string; subject: string; text: string } }).find((l) => l.mail?.id === id);
    expect(logged?.mail).toMatchObject({ to: 'grace@example.com', subject: 'Your invitation' });
    expect(logged?.mail?.text).toContain('http://127.0.0.1/applications/BILLING');
  });
});

describe.each(backends)('mail delivery from several processes on $name', (backend) => {
  it.skipIf(backend.skip)('two serving processes drain one outbox together and send every message exactly once', async () => {
    const fresh = await backend.fresh();
    cleanup.push(() => fresh.drop());
    const smtp = await peer();
    const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-mail-'));
    cleanup.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const env = { LATCHKEY_SMTP_URL: smtp.url, LATCHKEY_DATABASE_URL: fresh.url };
    const one = await runtimeWith(env, { dataDir });
    const two = await runtimeWith(env, { dataDir });
    const ids: string[] = [];
    for (let i = 0; i < 24; i++) ids.push(await queue(i % 2 ? one : two, `user${i}@example.com`));
    let delivered = 0;
    for (let round = 0; round < 5; round++) {
      const reports = await Promise.all([one.deliverMail(), two.deliverMail()]);
      delivered += reports.reduce((sum, r) => sum + r.delivered, 0);
    }
    expect(delivered).toBe(24);
    expect(smtp.received.map((m) => m.to[0]).sort()).toStrictEqual(Array.from({ length: 24 }, (_, i) => `user${i}@example.com`).sort());
    for (const id of ids) expect(await one.storage.outbox.get(id)).toMatchObject({ status: 'sent', attempts: 1 });
  });
});

describe('the serving process', () => {
  it('delivers queued mail in the background, every LATCHKEY_MAIL_POLL_MS', async () => {
    const smtp = await peer();
    const server = await startTestServer({ env: { LATCHKEY_SMTP_URL: smtp.url, LATCHKEY_MAIL_POLL_MS: '20' } });
    cleanup.push(() => server.dispose());
    const id = await queue(server.runtime);
    while ((await server.runtime.storage.outbox.get(id))?.status !== 'sent') await new Promise((resolve) => setTimeout(resolve, 20));
    expect(smtp.received.map((m) => m.to)).toStrictEqual([['ada@example.com']]);
  });
});

describe('latchkey mail (CLI)', () => {
  it('mail test sends a message with the configured SMTP server and says how it went; mail list shows the outbox', async () => {
    const smtp = await peer();
    // The server's own loop is slowed down so the CLI process is the one that delivers.
    const server = await startTestServer({ env: { LATCHKEY_SMTP_URL: smtp.url, LATCHKEY_MAIL_POLL_MS: '600000' } });
    cleanup.push(() => server.dispose());
    const sent = await server.cli(['mail', 'test', '--to', 'ops@example.org']);
    expect(sent.code).toBe(0);
    expect(sent.json).toMatchObject({ to: 'ops@example.org', status: 'sent', attempts: 1, kind: 'test' });
    expect(smtp.received.map((m) => m.to)).toStrictEqual([['ops@example.org']]);
    const listed = await server.cli(['mail', 'list', '--status', 'sent']);
    expect(listed.json).toMatchObject({ items: [{ to: 'ops@example.org', subject: 'Latchkey test message', status: 'sent' }] });
    const bad = await server.cli(['mail', 'list', '--status', 'lost']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('expected one of queued, sent, logged, failed');
  });
});
