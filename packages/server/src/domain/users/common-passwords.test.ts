import { describe, expect, it } from 'vitest';
import { isCommonPassword } from './common-passwords.js';

describe('common passwords', () => {
  it.each([
    'password1234',
    'Password123!',
    'P@ssw0rd2026!',
    'qwerty123456',
    'qwertyuiop123',
    '123456789012',
    '1q2w3e4r5t6y',
    'iloveyou2024!',
    'aaaaaaaaaaaa',
    'abcabcabcabc',
    'passwordpassword',
    'dragon1234567',
    'letmein!letmein!',
    'Welcome2026!!',
    'monkeymonkey12',
    '19851224123456',
  ])('refuses %s', (password) => {
    expect(isCommonPassword(password)).toBe(true);
  });

  it.each(['correct horse battery staple', 'tangerine-viaduct-42', 'Xk9#mQ2$vL7!pR4', 'my cat eats olives at noon'])('accepts %s', (password) => {
    expect(isCommonPassword(password)).toBe(false);
  });

  it("refuses a password built on the user's own email or name", () => {
    expect(isCommonPassword('grace.hopper1906', ['grace.hopper@example.org', 'Grace Hopper'])).toBe(true);
    expect(isCommonPassword('tangerine-viaduct-42', ['grace.hopper@example.org', 'Grace Hopper'])).toBe(false);
  });
});
