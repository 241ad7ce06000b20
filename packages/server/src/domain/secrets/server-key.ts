import { createCipheriv, createDecipheriv, createHash, createHmac, createSecretKey, hkdfSync, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';

/**
 * The server key, as a list: the first key peppers new hashes and encrypts new ciphertexts; every key in
 * the list verifies and decrypts, so an operator rotates it by putting a new key first and dropping the old
 * one once nothing refers to it any more. Each stored value names the key (by id) that produced it.
 */
export interface ServerKeyring {
  /** Id of the key that writes (the first one). */
  readonly primaryId: string;
  readonly ids: readonly string[];
  /** HMAC-SHA256 of a generated credential under the primary key, as `hmac-sha256$<keyId>$<base64url>`. */
  hash(value: string): string;
  /** Constant-time check of a value against a stored hash; false for an unknown key id or a malformed hash. */
  verify(value: string, stored: string): boolean;
  /** AES-256-GCM under the primary key, as `a256gcm$<keyId>$<iv>$<tag>$<ciphertext>` (base64url parts). */
  encrypt(plaintext: string, associatedData: string): string;
  /** Throws when the ciphertext was altered, its associated data differs, or its key is not in the list. */
  decrypt(ciphertext: string, associatedData: string): string;
}

interface DerivedKey {
  readonly id: string;
  /** Imported once: HMAC with a KeyObject skips re-importing the key on every verification. */
  readonly pepper: KeyObject;
  readonly encryption: Buffer;
}

export const MIN_SERVER_KEY_BYTES = 32;

/**
 * Data encrypted under a server key the keyring does not hold: the server key was replaced (or its file
 * lost) instead of rotated, so the process runs with another key than the database was used with.
 */
export class UnknownServerKeyError extends Error {
  override readonly name = 'UnknownServerKeyError';
  readonly keyId: string;
  constructor(keyId: string) {
    super(`encrypted under server key ${keyId}, which is not in LATCHKEY_SECRET`);
    this.keyId = keyId;
  }
}

function derive(raw: Buffer): DerivedKey {
  if (raw.length < MIN_SERVER_KEY_BYTES) {
    throw new TypeError(`a server key needs at least ${MIN_SERVER_KEY_BYTES} bytes, got ${raw.length}`);
  }
  // Separate subkeys per purpose (RFC 5869), so a hash never doubles as an encryption key.
  const subkey = (info: string): Buffer => Buffer.from(hkdfSync('sha256', raw, 'latchkey', info, 32));
  return {
    id: createHash('sha256').update(raw).digest('hex').slice(0, 8),
    pepper: createSecretKey(subkey('credential-pepper')),
    encryption: subkey('at-rest-encryption'),
  };
}

/** A fresh random server key, encoded as it is kept in `LATCHKEY_SECRET` or the data directory. */
export function generateServerKey(): string {
  return randomBytes(32).toString('base64url');
}

export function createServerKeyring(rawKeys: readonly Buffer[]): ServerKeyring {
  const keys = rawKeys.map(derive);
  const primary = keys[0];
  if (!primary) throw new TypeError('the server keyring needs at least one key');
  const byId = new Map(keys.map((k) => [k.id, k]));

  const mac = (key: DerivedKey, value: string): Buffer => createHmac('sha256', key.pepper).update(value).digest();

  return {
    primaryId: primary.id,
    ids: keys.map((k) => k.id),
    hash(value) {
      return `hmac-sha256$${primary.id}$${mac(primary, value).toString('base64url')}`;
    },
    verify(value, stored) {
      const [scheme, keyId, digest] = stored.split('$');
      const key = keyId === undefined ? undefined : byId.get(keyId);
      // Compute a MAC even when the stored value is unusable, so the time taken does not tell.
      const actual = mac(key ?? primary, value);
      if (scheme !== 'hmac-sha256' || key === undefined || digest === undefined) return false;
      const expected = Buffer.from(digest, 'base64url');
      return expected.length === actual.length && timingSafeEqual(expected, actual);
    },
    encrypt(plaintext, associatedData) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', primary.encryption, iv);
      cipher.setAAD(Buffer.from(associatedData));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url'));
      return ['a256gcm', primary.id, ...parts].join('$');
    },
    decrypt(ciphertext, associatedData) {
      const [scheme, keyId, iv, tag, body] = ciphertext.split('$');
      if (scheme !== 'a256gcm' || !keyId || !iv || !tag || body === undefined) {
        throw new Error('not a Latchkey ciphertext');
      }
      const key = byId.get(keyId);
      if (!key) throw new UnknownServerKeyError(keyId);
      const decipher = createDecipheriv('aes-256-gcm', key.encryption, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(associatedData));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}
