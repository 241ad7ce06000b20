import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './config.js';
import { createServerKeyring, generateServerKey, MIN_SERVER_KEY_BYTES, type ServerKeyring } from './domain/secrets/server-key.js';

export const SERVER_KEY_FILE = 'server.key';

function decode(list: string, source: string): Buffer[] {
  const keys = list.split(/[\s,]+/).filter((k) => k !== '');
  return keys.map((k, i) => {
    const raw = Buffer.from(k, 'base64url');
    if (raw.length < MIN_SERVER_KEY_BYTES || raw.toString('base64url') !== k.replace(/=+$/, '')) {
      throw new ConfigError(`${source}: key ${i + 1} is not valid: expected base64url of at least ${MIN_SERVER_KEY_BYTES} random bytes (generate one with: openssl rand -base64 32 | tr '+/' '-_' | tr -d '=')`);
    }
    return raw;
  });
}

/**
 * The server key list: LATCHKEY_SECRET when set, else `<dataDir>/server.key`, generated on first start
 * with mode 0600. Creation is atomic, so workers starting together agree on one key.
 */
export function loadServerKeyring(secret: string | null, dataDir: string, warn: (message: string) => void): ServerKeyring {
  if (secret !== null) return createServerKeyring(decode(secret, 'LATCHKEY_SECRET'));
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, SERVER_KEY_FILE);
  // Written aside, then linked into place: the link either wins whole or fails (EEXIST), so a
  // concurrently starting process never reads a half-written key.
  const draft = `${path}.${process.pid}.tmp`;
  writeFileSync(draft, `${generateServerKey()}\n`, { mode: 0o600 });
  try {
    linkSync(draft, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(draft);
  }
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    warn(`${path} was readable by other users (mode ${mode.toString(8)}); restricting it to 0600`);
    chmodSync(path, 0o600);
  }
  return createServerKeyring(decode(readFileSync(path, 'utf8'), path));
}
