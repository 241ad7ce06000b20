import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { DEFAULT_CLIENT_CACHE_SIZE } from './domain/clients/client-directory.js';
import { SIGNING_ALGS, type SigningAlg } from './domain/keys/signing-key.js';
import { ACCESS_LOG_MODES, type AccessLogMode } from './http/access-log.js';

export const DIALECTS = ['oauth2', 'token-api', 'authenticate', 'access-token'] as const;
export type Dialect = (typeof DIALECTS)[number];

export interface Config {
  readonly port: number;
  readonly host: string;
  /** `iss` of every token and base of every URL shown to users; no trailing slash. */
  readonly issuer: string;
  readonly databaseUrl: string;
  readonly dataDir: string;
  /** Comma-separated server keys from LATCHKEY_SECRET, or null: generated into the data directory. */
  readonly secret: string | null;
  readonly admin: { readonly email: string; readonly password: string } | null;
  readonly smtpUrl: string | null;
  readonly redisUrl: string | null;
  readonly workers: number;
  readonly dialects: readonly Dialect[];
  /** Ordered environments an application registers, first to last. */
  readonly environments: readonly string[];
  readonly signingAlg: SigningAlg;
  /** Cache lifetime of the JWKS response; a new key is published this long (plus a margin) before it signs. */
  readonly jwksMaxAgeSeconds: number;
  /** How often a process polls the change log when nothing pushes changes to it. */
  readonly changePollMs: number;
  /** Longest overlap a regenerated client secret may grant its predecessor. */
  readonly maxSecretGraceSeconds: number;
  /** How many clients each process keeps cached for the token path (LATCHKEY_CLIENT_CACHE_SIZE). */
  readonly clientCacheSize: number;
  /** Whether a serving process fills the client cache at start-up, most recently used first (LATCHKEY_CLIENT_CACHE_WARM). */
  readonly clientCacheWarm: boolean;
  /** LATCHKEY_LOG_LEVEL, or null: the command's default (info for serve, warn for the others). */
  readonly logLevel: string | null;
  /** Lifetime of a `token-api` dialect token (LATCHKEY_TOKEN_API_TTL, seconds; 14 days by default). */
  readonly tokenApiTtlSeconds: number;
  /** Environments whose registration waits for an administrator (LATCHKEY_APPROVAL_ENVIRONMENTS; none by default). */
  readonly approvalEnvironments: readonly string[];
  /** How long an invitation link stays valid (LATCHKEY_INVITATION_TTL, seconds; 7 days by default). */
  readonly invitationTtlSeconds: number;
  /** Longest lifetime of a personal access token (LATCHKEY_PAT_MAX_DAYS; 366 by default). */
  readonly patMaxDays: number;
  /** Sender of every mail (LATCHKEY_MAIL_FROM; `Latchkey <latchkey@<issuer host>>` by default). */
  readonly mailFrom: string;
  /** How often the outbox is checked for mail to deliver (LATCHKEY_MAIL_POLL_MS). */
  readonly mailPollMs: number;
  /** Sign-ups one address may make per hour, counted across every process (LATCHKEY_SIGNUPS_PER_HOUR; 20 by default). */
  readonly signUpsPerHour: number;
  /**
   * LATCHKEY_MIGRATE: `auto` (default) applies pending migrations on start; `off` refuses to start on a
   * schema that is behind, for deployments that run `latchkey migrate` as a step of their own.
   */
  readonly migrate: 'auto' | 'off';
  /** On SIGTERM, how long /readyz answers 503 while requests are still served (LATCHKEY_DRAIN_SECONDS). */
  readonly drainSeconds: number;
  /**
   * LATCHKEY_METRICS_PORT / LATCHKEY_METRICS_HOST: where `/metrics` is served instead of the main port, or
   * null: on the main port.
   */
  readonly metricsListen: { readonly port: number; readonly host: string } | null;
  /** LATCHKEY_ACCESS_LOG: which requests get an access log line (see http/access-log.ts). */
  readonly accessLog: AccessLogMode;
  /** LATCHKEY_ACCESS_LOG_SAMPLE: with `sampled`, one successful token request in this many is logged. */
  readonly accessLogSample: number;
  /**
   * Reverse proxies whose `X-Forwarded-For` is believed (LATCHKEY_TRUSTED_PROXIES: addresses and CIDRs);
   * empty: none, the socket's address is the client's.
   */
  readonly trustedProxies: readonly string[];
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(`${name}=${raw} is not valid: expected a whole number from ${min} to ${max}`);
  }
  return value;
}

function list<T extends string>(env: Env, name: string, fallback: readonly T[], allowed?: readonly T[]): T[] {
  const raw = read(env, name);
  if (raw === undefined) return [...fallback];
  const items = raw.split(',').map((s) => s.trim()).filter((s) => s !== '') as T[];
  const bad = allowed ? items.filter((i) => !allowed.includes(i)) : [];
  if (items.length === 0 || bad.length > 0 || new Set(items).size !== items.length) {
    const expected = allowed ? `a comma-separated list of ${allowed.join(', ')}` : 'a comma-separated list without repeats';
    throw new ConfigError(`${name}=${raw} is not valid: expected ${expected}`);
  }
  return items;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new ConfigError(`${name}=${raw} is not valid: expected one of ${allowed.join(', ')}`);
  return raw as T;
}

function url(env: Env, name: string, protocols: readonly string[]): string | null {
  const raw = read(env, name);
  if (raw === undefined) return null;
  if (!URL.canParse(raw) || !protocols.includes(new URL(raw).protocol)) {
    throw new ConfigError(`${name} is not valid: expected a ${protocols.map((p) => `${p}//…`).join(' or ')} URL`);
  }
  return raw;
}

/** The embedded database in the data directory: what LATCHKEY_DATABASE_URL is unless it is set. */
export function defaultDatabaseUrl(dataDir: string): string {
  return `sqlite:${resolve(dataDir, 'latchkey.db')}`;
}

/** `10.0.0.1`, `10.0.0.0/8`, `::1`, `fd00::/8`: an IPv4 or IPv6 address, with an optional prefix length. */
function isAddressOrCidr(item: string): boolean {
  const [address = '', prefix, ...rest] = item.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

function trustedProxies(env: Env, warn: (message: string) => void): string[] {
  const name = 'LATCHKEY_TRUSTED_PROXIES';
  const items = list(env, name, []);
  const bad = items.find((i) => !isAddressOrCidr(i));
  if (bad !== undefined) {
    throw new ConfigError(`${name} is not valid: "${bad}" is not an IP address or CIDR; expected a comma-separated list such as 10.0.0.5,10.1.0.0/16,fd00::/8`);
  }
  if (items.some((i) => /\/0$/.test(i))) {
    warn(`${name} trusts every address (a /0 range): any client can then choose the address it is counted, locked out and audited under; list your proxies only`);
  }
  return items;
}

/** Reads and validates every LATCHKEY_* variable once; the only reader of the environment. */
export function loadConfig(env: Env, warn: (message: string) => void = () => undefined): Config {
  const port = integer(env, 'LATCHKEY_PORT', 8080, 0, 65_535);
  const host = read(env, 'LATCHKEY_HOST') ?? '127.0.0.1';
  const issuerRaw = read(env, 'LATCHKEY_ISSUER') ?? `http://localhost:${port}`;
  if (!URL.canParse(issuerRaw) || !['http:', 'https:'].includes(new URL(issuerRaw).protocol) || /[?#]/.test(issuerRaw)) {
    throw new ConfigError(`LATCHKEY_ISSUER=${issuerRaw} is not valid: expected an http(s) URL without query or fragment, such as https://auth.example.org`);
  }
  const issuer = issuerRaw.replace(/\/+$/, '');
  if (issuer.startsWith('http:') && !/^http:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?(\/|$)/.test(issuer)) {
    warn(`LATCHKEY_ISSUER=${issuer} is plain http on a non-loopback host: tokens and secrets would cross the network unencrypted; put Latchkey behind TLS and use https`);
  }
  const dataDir = resolve(read(env, 'LATCHKEY_DATA_DIR') ?? './data');
  const databaseUrl = read(env, 'LATCHKEY_DATABASE_URL') ?? defaultDatabaseUrl(dataDir);
  if (!/^(sqlite:.+|postgres(ql)?:\/\/.+)$/.test(databaseUrl)) {
    throw new ConfigError(`LATCHKEY_DATABASE_URL is not valid: expected sqlite:<path> or postgres://user@host:port/database`);
  }
  const email = read(env, 'LATCHKEY_ADMIN_EMAIL');
  const password = read(env, 'LATCHKEY_ADMIN_PASSWORD');
  if ((email === undefined) !== (password === undefined)) {
    throw new ConfigError('LATCHKEY_ADMIN_EMAIL and LATCHKEY_ADMIN_PASSWORD go together: set both or neither');
  }
  const alg = read(env, 'LATCHKEY_SIGNING_ALG') ?? 'ES256';
  if (!(SIGNING_ALGS as readonly string[]).includes(alg)) {
    throw new ConfigError(`LATCHKEY_SIGNING_ALG=${alg} is not valid: expected one of ${SIGNING_ALGS.join(', ')}`);
  }
  const environments = list(env, 'LATCHKEY_ENVIRONMENTS', ['dev', 'test', 'prod']);
  const badEnv = environments.find((e) => !/^[a-z][a-z0-9-]{0,15}$/.test(e));
  if (badEnv) throw new ConfigError(`LATCHKEY_ENVIRONMENTS is not valid: "${badEnv}" must be 1-16 lower-case letters, digits or "-"`);
  const approvalRaw = read(env, 'LATCHKEY_APPROVAL_ENVIRONMENTS');
  const approvalEnvironments = approvalRaw === undefined || approvalRaw === 'none' ? [] : list(env, 'LATCHKEY_APPROVAL_ENVIRONMENTS', []);
  const strayApproval = approvalEnvironments.find((e) => !environments.includes(e));
  if (strayApproval !== undefined) {
    throw new ConfigError(`LATCHKEY_APPROVAL_ENVIRONMENTS is not valid: "${strayApproval}" is not one of LATCHKEY_ENVIRONMENTS (${environments.join(', ')})`);
  }
  const mailFrom = read(env, 'LATCHKEY_MAIL_FROM') ?? `Latchkey <latchkey@${new URL(issuer).hostname}>`;
  const accessLog = read(env, 'LATCHKEY_ACCESS_LOG') ?? 'off';
  if (!(ACCESS_LOG_MODES as readonly string[]).includes(accessLog)) {
    throw new ConfigError(`LATCHKEY_ACCESS_LOG=${accessLog} is not valid: expected one of ${ACCESS_LOG_MODES.join(', ')}`);
  }
  return {
    port,
    host,
    issuer,
    databaseUrl,
    dataDir,
    secret: read(env, 'LATCHKEY_SECRET') ?? null,
    admin: email !== undefined && password !== undefined ? { email, password } : null,
    smtpUrl: url(env, 'LATCHKEY_SMTP_URL', ['smtp:', 'smtps:']),
    redisUrl: url(env, 'LATCHKEY_REDIS_URL', ['redis:', 'rediss:']),
    workers: integer(env, 'LATCHKEY_WORKERS', 1, 1, 64),
    dialects: list(env, 'LATCHKEY_DIALECTS', DIALECTS, DIALECTS),
    environments,
    signingAlg: alg as SigningAlg,
    jwksMaxAgeSeconds: integer(env, 'LATCHKEY_JWKS_MAX_AGE', 300, 0, 86_400),
    changePollMs: integer(env, 'LATCHKEY_CHANGE_POLL_MS', 250, 10, 60_000),
    maxSecretGraceSeconds: integer(env, 'LATCHKEY_MAX_SECRET_GRACE', 7 * 86_400, 0, 90 * 86_400),
    clientCacheSize: integer(env, 'LATCHKEY_CLIENT_CACHE_SIZE', DEFAULT_CLIENT_CACHE_SIZE, 1, 100_000_000),
    clientCacheWarm: oneOf(env, 'LATCHKEY_CLIENT_CACHE_WARM', ['true', 'false'], 'true') === 'true',
    logLevel: read(env, 'LATCHKEY_LOG_LEVEL') ?? null,
    tokenApiTtlSeconds: integer(env, 'LATCHKEY_TOKEN_API_TTL', 14 * 86_400, 60, 366 * 86_400),
    approvalEnvironments,
    invitationTtlSeconds: integer(env, 'LATCHKEY_INVITATION_TTL', 7 * 86_400, 60, 90 * 86_400),
    patMaxDays: integer(env, 'LATCHKEY_PAT_MAX_DAYS', 366, 1, 3_660),
    mailFrom,
    mailPollMs: integer(env, 'LATCHKEY_MAIL_POLL_MS', 1_000, 10, 600_000),
    signUpsPerHour: integer(env, 'LATCHKEY_SIGNUPS_PER_HOUR', 20, 1, 1_000_000),
    drainSeconds: integer(env, 'LATCHKEY_DRAIN_SECONDS', 5, 0, 600),
    migrate: oneOf(env, 'LATCHKEY_MIGRATE', ['auto', 'off'] as const, 'auto'),
    metricsListen: metricsListen(env, port, host),
    accessLog: accessLog as AccessLogMode,
    accessLogSample: integer(env, 'LATCHKEY_ACCESS_LOG_SAMPLE', 100, 1, 1_000_000),
    trustedProxies: trustedProxies(env, warn),
  };
}

function metricsListen(env: Env, port: number, host: string): Config['metricsListen'] {
  const metricsHost = read(env, 'LATCHKEY_METRICS_HOST');
  if (read(env, 'LATCHKEY_METRICS_PORT') === undefined) {
    if (metricsHost !== undefined) throw new ConfigError('LATCHKEY_METRICS_HOST needs LATCHKEY_METRICS_PORT: set the port too, or unset the host');
    return null;
  }
  const metricsPort = integer(env, 'LATCHKEY_METRICS_PORT', 0, 0, 65_535);
  // Port 0 (any free port) on both is no clash; the same fixed port on both would fail to listen.
  if (metricsPort !== 0 && metricsPort === port) {
    throw new ConfigError(`LATCHKEY_METRICS_PORT=${metricsPort} is not valid: it is LATCHKEY_PORT too; pick another port, or unset it to serve /metrics on the main port`);
  }
  return { port: metricsPort, host: metricsHost ?? host };
}
