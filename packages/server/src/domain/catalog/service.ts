import type { FieldIssue } from '../errors.js';

export interface ServiceScope {
  readonly name: string;
  readonly description: string;
}

/** An API behind Latchkey, which clients are granted access to, per environment. */
export interface Service {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly scopes: readonly ServiceScope[];
  /** Audience URI per environment where the service sets its own; otherwise the default URN applies. */
  readonly audiences: Readonly<Record<string, string>>;
  /** Where the service answers, per environment (absolute URLs; Postman example calls use them). */
  readonly baseUrls: Readonly<Record<string, string>>;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly retiredAt: number | null;
}

export interface ServiceStore {
  /** Inserts a service; one with the same key already exists: DomainError `conflict`. */
  create(service: Service): Promise<void>;
  get(key: string): Promise<Service | null>;
  /** Every service, retired ones included, ordered by key. */
  list(): Promise<Service[]>;
  /** Replaces a service's fields (all but key and createdAt); false when no service has the key. */
  update(service: Service): Promise<boolean>;
}

/** RFC 9068 `aud` of a service in an environment: its own URI there, or `urn:latchkey:service:<key>:<env>`. */
export function serviceAudience(service: Pick<Service, 'key' | 'audiences'>, env: string): string {
  return service.audiences[env] ?? `urn:latchkey:service:${service.key}:${env}`;
}

export const SERVICE_KEY = /^[a-z][a-z0-9-]{1,39}$/;
// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
export const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/;

export function validateServiceKey(key: string, field = 'key'): FieldIssue[] {
  return SERVICE_KEY.test(key)
    ? []
    : [{ field, message: 'a service key is 2-40 lower-case letters, digits or "-", starting with a letter' }];
}

export function validateScopeNames(names: readonly string[], field = 'scopes'): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (!SCOPE_TOKEN.test(name)) {
      issues.push({ field: `${field}[${i}]`, message: `"${name}" is not a scope: use printable ASCII without spaces, quotes or backslashes` });
    } else if (seen.has(name)) {
      issues.push({ field: `${field}[${i}]`, message: `scope "${name}" is listed twice` });
    }
    seen.add(name);
  });
  return issues;
}

export function validateAudiences(audiences: Readonly<Record<string, string>>, environments: readonly string[], field = 'audiences'): FieldIssue[] {
  return Object.entries(audiences).flatMap(([env, uri]) => [
    ...(environments.includes(env) ? [] : [{ field: `${field}.${env}`, message: `unknown environment; use one of ${environments.join(', ')}` }]),
    ...(URL.canParse(uri) ? [] : [{ field: `${field}.${env}`, message: 'an audience must be an absolute URI' }]),
  ]);
}

export function validateBaseUrls(baseUrls: Readonly<Record<string, string>>, environments: readonly string[], field = 'base_urls'): FieldIssue[] {
  return Object.entries(baseUrls).flatMap(([env, url]) => [
    ...(environments.includes(env) ? [] : [{ field: `${field}.${env}`, message: `unknown environment; use one of ${environments.join(', ')}` }]),
    ...(URL.canParse(url) && /^https?:$/.test(new URL(url).protocol)
      ? []
      : [{ field: `${field}.${env}`, message: 'a base URL must be an absolute http(s) URL such as https://api.example.org/email' }]),
  ]);
}
