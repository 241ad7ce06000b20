import { DomainError } from '../../domain/errors.js';

/** An application/x-www-form-urlencoded body: every value of every parameter, in order. */
export type FormParameters = Readonly<Record<string, readonly string[]>>;

export const FORM_BODY_LIMIT = 16 * 1024;

function decode(part: string): string {
  // RFC 6749 Appendix B: "+" is a space; a malformed percent-escape or invalid UTF-8 is a bad request,
  // not something to guess about.
  if (!part.includes('%') && !part.includes('+')) return part;
  try {
    return decodeURIComponent(part.replaceAll('+', ' '));
  } catch {
    throw new DomainError('bad_request', 'the request body is not valid application/x-www-form-urlencoded (a malformed %-escape or invalid UTF-8)');
  }
}

/** Strict form decoding; parameters with empty names are ignored, as browsers do. */
export function parseForm(body: string): FormParameters {
  const params: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  if (body === '') return params;
  for (const pair of body.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1));
    if (name === '') continue;
    (params[name] ??= []).push(value);
  }
  return params;
}

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
