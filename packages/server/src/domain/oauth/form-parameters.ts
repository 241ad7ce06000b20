import { DomainError } from '../errors.js';

/** An OAuth request's parameters as the form body carried them: every value of every parameter, in order. */
export type FormParameters = Readonly<Record<string, readonly string[]>>;

/**
 * RFC 6749 §3.1/§3.2: parameters sent without a value are treated as omitted, and none may be repeated,
 * except those named in `repeatable` (RFC 8707 `resource`).
 */
export function single(params: FormParameters, name: string): string | undefined {
  const values = params[name];
  if (values === undefined) return undefined;
  if (values.length > 1) throw new DomainError('bad_request', `parameter "${name}" is repeated; send it once`, { fields: [{ field: name, message: 'repeated' }] });
  return values[0] === '' ? undefined : values[0];
}

export function required(params: FormParameters, name: string): string {
  const value = single(params, name);
  if (value === undefined) throw new DomainError('bad_request', `parameter "${name}" is required`, { fields: [{ field: name, message: 'required' }] });
  return value;
}

/** RFC 8707 §2: each resource is an absolute URI without a fragment. */
export function resourceIndicators(params: FormParameters): string[] {
  const values = params.resource ?? [];
  for (const value of values) {
    if (!URL.canParse(value) || value.includes('#')) {
      throw new DomainError('resource_not_allowed', `resource "${value}" is not an absolute URI without a fragment`);
    }
  }
  return [...values];
}
