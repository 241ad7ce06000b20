import { pino, type Logger } from 'pino';

/** Paths that may carry credentials; pino replaces their values before a line is written. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'client_secret',
  'clientSecret',
  'password',
  'secret',
  'token',
  'access_token',
  '*.client_secret',
  '*.clientSecret',
  '*.password',
  '*.secret',
  '*.token',
  '*.access_token',
];

/** JSON lines to `fd` (stdout for the server, stderr for the CLI so its stdout stays machine-readable). */
export function createLogger(level: string, fd: 1 | 2 = 1): Logger {
  return pino(
    { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination({ fd, sync: false }),
  );
}
