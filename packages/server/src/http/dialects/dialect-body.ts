import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError, isDomainError, type FieldIssue } from '../../domain/errors.js';
import { parseForm } from '../oauth/form-body.js';

/** Largest body a dialect endpoint reads: credentials and a scope fit many times over. */
export const DIALECT_BODY_LIMIT = 16 * 1024;

/**
 * In a dialect's own scope: every body arrives as text, whatever its content type claims, and the
 * dialect decodes it itself (the legacy clients mislabel their bodies, as their own documentation shows).
 */
export function acceptTextBodies(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: DIALECT_BODY_LIMIT }, (_request, body, done) => done(null, body));
}

/** Reads the body Fastify leaves unread on GET (curl --request GET --data-urlencode sends one). */
function readUnparsedBody(request: FastifyRequest): Promise<string> {
  const raw = request.raw;
  if (raw.readableEnded || (raw.headers['content-length'] === undefined && raw.headers['transfer-encoding'] === undefined)) return Promise.resolve('');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    raw.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > DIALECT_BODY_LIMIT) {
        raw.removeAllListeners('data');
        raw.resume();
        reject(new DomainError('payload_too_large', `the request body is larger than ${DIALECT_BODY_LIMIT} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    raw.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    raw.once('error', () => reject(new DomainError('bad_request', 'the request body could not be read')));
  });
}

/**
 * The request body as text (empty when there is none): at once when Fastify has read it (every POST), so
 * a token dialect's route can answer without a promise; a promise only for a GET that carries a body.
 */
export function bodyText(request: FastifyRequest): string | Promise<string> {
  if (typeof request.body === 'string') return request.body;
  return request.method === 'GET' ? readUnparsedBody(request) : '';
}

/** A JSON document that must be an object, or a `bad_request` saying what was expected. */
export function parseJsonObject(text: string, expected: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new DomainError('bad_request', `the body is not valid JSON: expected ${expected}`, { fields: [{ field: 'body', message: 'malformed JSON' }] });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DomainError('bad_request', `the body must be a JSON object: expected ${expected}`, { fields: [{ field: 'body', message: 'not a JSON object' }] });
  }
  return value as Record<string, unknown>;
}

/** Refuses an empty (or blank) body with a `bad_request` saying what to send. */
export function requireBody(text: string, expected: string): void {
  if (text.trim() === '') throw new DomainError('bad_request', `the body is empty: send ${expected}`, { fields: [{ field: 'body', message: 'required' }] });
}

/**
 * A string field of a decoded body, or undefined after adding to `issues` why not (`required`, `must be a
 * string`, `must be at most N characters`); absent, null and empty count as missing.
 */
export function stringField(issues: FieldIssue[], name: string, value: unknown, options: { readonly required: boolean; readonly maxLength: number }): string | undefined {
  if (value === undefined || value === null || value === '') {
    if (options.required) issues.push({ field: name, message: 'required' });
  } else if (typeof value !== 'string') issues.push({ field: name, message: 'must be a string' });
  else if (value.length > options.maxLength) issues.push({ field: name, message: `must be at most ${options.maxLength} characters` });
  else return value;
  return undefined;
}

/** One `bad_request` listing every field issue, then what to send. */
export function fieldsError(issues: readonly FieldIssue[], expected: string): DomainError {
  return new DomainError('bad_request', `${issues.map((i) => `${i.field} ${i.message}`).join('; ')}: send ${expected}`, { fields: issues });
}

/** Form fields as single strings (a repeated field is a `bad_request` naming it). */
export function parseFormObject(text: string): Record<string, string> {
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, values] of Object.entries(parseForm(text))) {
    if (values.length > 1) throw new DomainError('bad_request', `parameter "${name}" is repeated; send it once`, { fields: [{ field: name, message: 'repeated' }] });
    fields[name] = values[0] ?? '';
  }
  return fields;
}

/**
 * A failure as a domain error: domain errors as they are, Fastify's own 4xx failures (body too large,
 * unreadable) translated; null for anything else (a bug: the caller logs it and answers 500).
 */
export function asDomainError(error: unknown): DomainError | null {
  if (isDomainError(error)) return error;
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500) return null;
  if (status === 413) return new DomainError('payload_too_large', `the request body is larger than ${DIALECT_BODY_LIMIT} bytes`);
  return new DomainError('bad_request', `the request could not be read: ${(error as Error).message}`);
}
