import { describe, expect, it } from 'vitest';
import { generateSecret, isWellFormedSecret } from './generated-secret.js';
import { systemRandom } from '../random.js';

describe('generated client secrets', () => {
  it('carry the lks_ prefix, 43 base62 characters of randomness and a 6-character checksum', () => {
    const secret = generateSecret(systemRandom, 'clientSecret');
    expect(secret).toMatch(/^lks_[0-9A-Za-z]{49}$/);
    expect(isWellFormedSecret('clientSecret', secret)).toBe(true);
  });

  it('are different every time', () => {
    const secrets = new Set(Array.from({ length: 200 }, () => generateSecret(systemRandom, 'clientSecret')));
    expect(secrets.size).toBe(200);
  });

  it('are refused when a single character is mistyped (the checksum catches it)', () => {
    const secret = generateSecret(systemRandom, 'clientSecret');
    const i = 10;
    const swapped = secret.slice(0, i) + (secret[i] === 'a' ? 'b' : 'a') + secret.slice(i + 1);
    expect(isWellFormedSecret('clientSecret', swapped)).toBe(false);
  });

  it('are refused with another prefix, length or alphabet', () => {
    const secret = generateSecret(systemRandom, 'clientSecret');
    expect(isWellFormedSecret('clientSecret', `xyz_${secret.slice(4)}`)).toBe(false);
    expect(isWellFormedSecret('clientSecret', secret.slice(0, -1))).toBe(false);
    expect(isWellFormedSecret('clientSecret', `${secret.slice(0, 20)}-${secret.slice(21)}`)).toBe(false);
    expect(isWellFormedSecret('clientSecret', '')).toBe(false);
  });
});
