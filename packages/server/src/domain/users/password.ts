import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id for human passwords only (generated secrets use HMAC). The work runs on libuv's thread pool,
 * so a verification never blocks the event loop. Parameters follow OWASP's argon2id guidance
 * (19 MiB, 2 passes), which costs about 10-20 ms on this class of machine.
 */
const PARAMETERS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 12;
/** Longest password accepted at sign-up; a longer one at login is simply wrong (and not worth hashing). */
export const MAX_PASSWORD_LENGTH = 1024;

export function hashPassword(password: string): Promise<string> {
  return hash(password, PARAMETERS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
