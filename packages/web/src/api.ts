/** The portal REST API (/api/v1), spoken with the session cookie; errors are RFC 9457 problem documents. */

export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly fields: readonly FieldProblem[];
  constructor(status: number, message: string, fields: readonly FieldProblem[] = []) {
    super(message);
    this.status = status;
    this.fields = fields;
  }
}

/** Any failure as an ApiError (status 0 when it did not come from the API), for an ErrorNotice to show. */
export function toApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, String(error));
}

type Json = Record<string, unknown>;

function fieldsOf(problem: Json): FieldProblem[] {
  const raw = problem.fields ?? problem.errors ?? problem['invalid-params'];
  if (Array.isArray(raw)) {
    return raw.map((entry: unknown) => {
      if (typeof entry === 'string') return { field: '', message: entry };
      const e = (entry ?? {}) as Json;
      const field = e.field ?? e.name ?? e.path ?? e.instancePath ?? '';
      return { field: String(field).replace(/^\//, ''), message: String(e.message ?? e.reason ?? e.detail ?? '') };
    });
  }
  if (raw && typeof raw === 'object') {
    return Object.entries(raw as Json).map(([field, message]) => ({ field, message: String(message) }));
  }
  return [];
}

export async function problemOf(response: Response): Promise<ApiError> {
  let body: Json = {};
  try {
    body = (await response.json()) as Json;
  } catch {
    // Not JSON (a proxy's error page): the status line is all there is.
  }
  const message = [body.detail, body.title, body.message, body.error_description, body.error].find((v) => typeof v === 'string' && v !== '');
  return new ApiError(response.status, (message as string | undefined) ?? `${response.status} ${response.statusText}`, fieldsOf(body));
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, 'network');
  }
  if (!response.ok) throw await problemOf(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

/** A list endpoint's page: `{items, next_cursor}` (a bare array is accepted too). */
export interface Page<T> {
  readonly items: readonly T[];
  readonly next_cursor: string | null;
}

export function pageOf<T>(body: unknown): Page<T> {
  if (Array.isArray(body)) return { items: body as T[], next_cursor: null };
  const page = (body ?? {}) as { items?: T[]; next_cursor?: string | null };
  return { items: page.items ?? [], next_cursor: page.next_cursor ?? null };
}

export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

export const enc = encodeURIComponent;
