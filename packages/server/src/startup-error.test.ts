import { afterEach, describe, expect, it, vi } from 'vitest';
import { reportFailure } from './cli/output.js';
import { databaseFailure } from './database-startup.js';
import { dataDirFailure, listenFailure, StartupError, startupStep } from './startup-error.js';

const errno = (code: string, message = code): Error => Object.assign(new Error(message), { code });

describe('start-up failures', () => {
  afterEach(() => vi.restoreAllMocks());

  it('explains the failures an operator can fix, naming the variable', async () => {
    const config = { host: '127.0.0.1', port: 8080, databaseUrl: 'postgres://ops:secret@db.internal/latchkey', dataDir: '/var/lib/latchkey' };
    await expect(startupStep(listenFailure(config), () => Promise.reject(errno('EADDRINUSE')))).rejects.toThrow(/^LATCHKEY_PORT: 127\.0\.0\.1:8080 is already in use/);
    await expect(startupStep(databaseFailure(config), () => Promise.reject(errno('28P01')))).rejects.toThrow('LATCHKEY_DATABASE_URL: PostgreSQL at db.internal:5432 refused the password of user "ops"; fix the user or password in the URL');
    await expect(startupStep(dataDirFailure(config), () => Promise.reject(Object.assign(errno('EACCES'), { path: '/var/lib/latchkey' })))).rejects.toThrow(
      'LATCHKEY_DATA_DIR: cannot create or write the data directory /var/lib/latchkey (permission denied at /var/lib/latchkey)',
    );
  });

  it('leaves anything else as it was thrown: a bug stays a bug', async () => {
    const config = { host: '127.0.0.1', port: 8080, databaseUrl: 'postgres://ops@db.internal/latchkey', dataDir: '/var/lib/latchkey' };
    const bug = new TypeError('cannot read properties of undefined');
    const syntax = errno('42601', 'syntax error at or near "craete"');
    await expect(startupStep(databaseFailure(config), () => Promise.reject(syntax))).rejects.toBe(syntax);
    await expect(startupStep(listenFailure(config), () => Promise.reject(bug))).rejects.toBe(bug);
    await expect(startupStep(dataDirFailure(config), () => Promise.reject(bug))).rejects.toBe(bug);
  });

  it('reports a start-up failure as one line with exit code 1, and an unexpected error with its stack and exit code 2', () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
    expect(reportFailure(new StartupError('LATCHKEY_PORT', 'in use; choose another'), false)).toBe(1);
    expect(written).toEqual(['latchkey: LATCHKEY_PORT: in use; choose another\n']);
    written.length = 0;
    expect(reportFailure(new TypeError('boom'), false)).toBe(2);
    expect(written[0]).toBe('latchkey: boom\n');
    expect(written[1]).toMatch(/^TypeError: boom\n\s+at /);
  });
});
