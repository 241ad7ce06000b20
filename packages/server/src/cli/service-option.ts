import { DomainError } from '../domain/errors.js';

/**
 * `--service K[:scope,scope]`: the first ":" ends the service key, so scopes may contain ":" themselves;
 * no scope list grants every scope the service defines.
 */
export function parseServiceOption(value: string): { key: string; scopes?: string[] } {
  const colon = value.indexOf(':');
  const key = (colon === -1 ? value : value.slice(0, colon)).trim();
  if (key === '') throw new DomainError('bad_request', `--service ${value}: expected KEY or KEY:scope,scope`);
  if (colon === -1) return { key };
  const scopes = value
    .slice(colon + 1)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return scopes.length > 0 ? { key, scopes } : { key };
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
