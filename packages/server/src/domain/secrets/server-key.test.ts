import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createServerKeyring } from './server-key.js';

describe('the server keyring', () => {
  const first = randomBytes(32);
  const second = randomBytes(32);

  it('hashes with HMAC-SHA256 under the first key and never stores the value', () => {
    const keys = createServerKeyring([first]);
    const hash = keys.hash('lks_example');
    expect(hash).toMatch(/^hmac-sha256\$[0-9a-f]{8}\$[A-Za-z0-9_-]{43}$/);
    expect(hash).not.toContain('lks_example');
    expect(keys.verify('lks_example', hash)).toBe(true);
    expect(keys.verify('lks_other', hash)).toBe(false);
  });

  it('keeps verifying old hashes after a new key is put first, and hashes new values with the new key', () => {
    const before = createServerKeyring([first]).hash('value');
    const rotated = createServerKeyring([second, first]);
    expect(rotated.verify('value', before)).toBe(true);
    expect(rotated.hash('value').split('$')[1]).toBe(rotated.primaryId);
    expect(rotated.primaryId).not.toBe(createServerKeyring([first]).primaryId);
  });

  it('refuses hashes made under a key that was dropped, and malformed hashes', () => {
    const old = createServerKeyring([first]).hash('value');
    const keys = createServerKeyring([second]);
    expect(keys.verify('value', old)).toBe(false);
    expect(keys.verify('value', 'garbage')).toBe(false);
    expect(keys.verify('value', 'hmac-sha256$deadbeef$')).toBe(false);
  });

  it('encrypts with AES-256-GCM bound to its associated data, and decrypts under any listed key', () => {
    const keys = createServerKeyring([first]);
    const sealed = keys.encrypt('{"d":"private"}', 'kid-1');
    expect(sealed).not.toContain('private');
    expect(keys.decrypt(sealed, 'kid-1')).toBe('{"d":"private"}');
    expect(() => keys.decrypt(sealed, 'kid-2')).toThrow();
    expect(createServerKeyring([second, first]).decrypt(sealed, 'kid-1')).toBe('{"d":"private"}');
    expect(() => createServerKeyring([second]).decrypt(sealed, 'kid-1')).toThrow(/not in LATCHKEY_SECRET/);
  });

  it('detects a tampered ciphertext', () => {
    const keys = createServerKeyring([first]);
    const parts = keys.encrypt('secret', 'kid').split('$');
    const body = Buffer.from(parts[4] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    parts[4] = body.toString('base64url');
    expect(() => keys.decrypt(parts.join('$'), 'kid')).toThrow();
  });

  it('refuses keys shorter than 32 bytes', () => {
    expect(() => createServerKeyring([randomBytes(16)])).toThrow(/at least 32 bytes/);
  });
});
