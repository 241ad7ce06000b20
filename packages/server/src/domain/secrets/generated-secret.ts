import { crc32 } from 'node:zlib';
import type { Random } from '../random.js';

/**
 * Server-generated credentials: 256 random bits in base62 behind a recognisable prefix, with a CRC32
 * checksum at the end (as GitHub's tokens do) so secret scanners can find leaked ones without false
 * positives, and so a mistyped secret is refused before any lookup.
 *
 *   lks_<43 base62 characters: 256 bits><6 base62 characters: CRC32 of everything before>
 */
export const SECRET_PREFIXES = { clientSecret: 'lks_', invitation: 'lki_' } as const;
export type SecretKind = keyof typeof SECRET_PREFIXES;

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BODY_LENGTH = 43; // 62^43 > 2^256
const CHECKSUM_LENGTH = 6; // 62^6 > 2^32

function base62(value: bigint, length: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < length; i++) {
    out = ALPHABET[Number(rest % 62n)] + out;
    rest /= 62n;
  }
  return out;
}

// Plain number arithmetic: this runs on every token request, and a CRC32 fits a double exactly.
function checksum(text: string): string {
  let rest = crc32(text);
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = ALPHABET[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

export function generateSecret(random: Random, kind: SecretKind): string {
  const head = SECRET_PREFIXES[kind] + base62(BigInt(`0x${random.bytes(32).toString('hex')}`), BODY_LENGTH);
  return head + checksum(head);
}

const BASE62 = /^[0-9A-Za-z]+$/;

/** True when the value has the kind's prefix, length, alphabet and a matching checksum. */
export function isWellFormedSecret(kind: SecretKind, value: string): boolean {
  const prefix = SECRET_PREFIXES[kind];
  if (value.length !== prefix.length + BODY_LENGTH + CHECKSUM_LENGTH || !value.startsWith(prefix)) return false;
  const head = value.slice(0, -CHECKSUM_LENGTH);
  return BASE62.test(value.slice(prefix.length)) && checksum(head) === value.slice(-CHECKSUM_LENGTH);
}
