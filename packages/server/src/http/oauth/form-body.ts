import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors.js';
import type { FormParameters } from '../../domain/oauth/form-parameters.js';

const FORM_BODY_LIMIT = 16 * 1024;

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
 * RFC 6749 §3.2 and RFC 7662/7009 take form bodies only: in this scope they are parsed strictly, and
 * any other content type is refused (415) before a handler runs.
 */
export function acceptFormBodies(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT }, (_req, body, done) => {
    try {
      done(null, parseForm(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  scope.addContentTypeParser('*', { bodyLimit: FORM_BODY_LIMIT }, (request, _payload, done) => {
    const type = request.headers['content-type'] ?? '(none)';
    done(new DomainError('unsupported_media_type', `content type ${type} is not accepted here: send application/x-www-form-urlencoded`), undefined);
  });
}

/** The parsed form of a request in a scope that `acceptFormBodies` set up (none sent: no parameters). */
export function formOf(request: FastifyRequest): FormParameters {
  return (request.body as FormParameters | undefined) ?? {};
}
