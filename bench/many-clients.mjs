// Provisioning many clients fast, for the many-clients scenario: the CLI creates one service, one
// application and one client (servers.mjs); this copies that application and client N − 1 times straight
// into the SQLite database, one prepared statement per table in one transaction. Each copy gets its own
// application (a client is unique per application and environment), client id and secret, hashed by the
// server's own code (packages/server/dist: generateSecret and the keyring of the data directory's
// server key), so the server cannot tell them from clients the CLI made. A million take about half a
// minute. The Authorization header of every client goes to a file, one a line, for the load generator.
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { fail } from './bench-error.mjs';
import { basicAuthorization } from './scenarios.mjs';
import { ROOT } from './servers.mjs';

/**
 * The acronym of copy i: "C" and i in base 36, so every copy has its own and none is the CLI's "BENCH".
 * @param {number} i
 * @returns {string}
 */
export function copyAcronym(i) {
  return `C${i.toString(36).toUpperCase().padStart(4, '0')}`;
}

/**
 * An INSERT of every column of `row`, as a prepared statement taking the row's own shape.
 * @param {import('better-sqlite3').Database} db
 * @param {string} table
 * @param {Record<string, unknown>} row
 */
export function insertLike(db, table, row) {
  const columns = Object.keys(row);
  return db.prepare(`INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`);
}

/**
 * A UUID whose first 8 hex digits count up: the copies' keys then go in at the end of their indexes
 * instead of all over them, which keeps a million inserts fast. The rest is random, as in a v4 UUID.
 * @param {number} i
 * @returns {string}
 */
export function orderedUuid(i) {
  return `${i.toString(16).padStart(8, '0')}${randomUUID().slice(8)}`;
}

/**
 * The domain's Random over crypto.randomBytes fetched 64 KiB at a time: a million secrets then cost a
 * few hundred reads of the kernel's generator instead of two million.
 * @returns {{ uuid: () => string, bytes: (n: number) => Buffer }}
 */
export function bufferedRandom() {
  let pool = Buffer.alloc(0);
  let used = 0;
  return {
    uuid: () => randomUUID(),
    bytes(n) {
      if (used + n > pool.length) {
        pool = randomBytes(Math.max(65536, n));
        used = 0;
      }
      used += n;
      return pool.subarray(used - n, used);
    },
  };
}

/**
 * Adds `count − 1` clients beside the provisioned one and writes every client's Authorization header to
 * `<dataDir>/authorizations.txt`.
 * @param {import('./servers.mjs').ProvisionedLatchkey} latchkey
 * @param {number} count
 * @returns {Promise<{ file: string, clients: number, seconds: number, sample: string }>}
 */
export async function addClients(latchkey, count) {
  const started = performance.now();
  const { loadServerKeyring } = await import(join(ROOT, 'packages/server/dist/server-key-file.js'));
  const { generateSecret } = await import(join(ROOT, 'packages/server/dist/domain/secrets/generated-secret.js'));
  const keyring = loadServerKeyring(latchkey.env.LATCHKEY_SECRET ?? null, latchkey.dataDir, () => undefined);
  const random = bufferedRandom();

  const db = new Database(join(latchkey.dataDir, 'latchkey.db'));
  // Bench data, written once before the server starts: no need to survive a power cut mid-way, and
  // random keys into five indexes want the pages in memory (the default cache is 2 MiB).
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const file = join(latchkey.dataDir, 'authorizations.txt');
  const out = createWriteStream(file);
  try {
    const client = /** @type {Record<string, unknown> | undefined} */ (db.prepare('SELECT * FROM clients WHERE client_id = ?').get(latchkey.clientId));
    if (!client) return fail(`many clients: ${latchkey.clientId} is not in the database`);
    const application = /** @type {Record<string, unknown>} */ (db.prepare('SELECT * FROM applications WHERE id = ?').get(client.application_id));
    const secret = /** @type {Record<string, unknown>} */ (db.prepare('SELECT * FROM client_secrets WHERE client_id = ?').get(latchkey.clientId));
    const insertApplication = insertLike(db, 'applications', application);
    const insertClient = insertLike(db, 'clients', client);
    const insertSecret = insertLike(db, 'client_secrets', secret);
    let sample = '';
    /** @type {string[]} */
    let lines = [basicAuthorization(latchkey.clientId, latchkey.clientSecret)];
    const flush = () => {
      out.write(`${lines.join('\n')}\n`);
      lines = [];
    };
    db.transaction(() => {
      for (let i = 0; i < count - 1; i++) {
        const acronym = copyAcronym(i);
        const applicationId = orderedUuid(i);
        const clientId = `${acronym.toLowerCase()}-${client.env}-${random.bytes(6).toString('hex')}`;
        const clientSecret = generateSecret(random, 'clientSecret');
        insertApplication.run({ ...application, id: applicationId, acronym, name: `Bench copy ${i}` });
        insertClient.run({ ...client, client_id: clientId, application_id: applicationId });
        insertSecret.run({ ...secret, id: orderedUuid(i), client_id: clientId, hash: keyring.hash(clientSecret) });
        sample = basicAuthorization(clientId, clientSecret);
        lines.push(sample);
        if (lines.length === 10_000) flush();
      }
    })();
    flush();
    await new Promise((done) => out.end(done));
    return { file, clients: count, seconds: (performance.now() - started) / 1000, sample: sample || basicAuthorization(latchkey.clientId, latchkey.clientSecret) };
  } finally {
    db.close();
  }
}
