import { MAX_LIMIT, PROBLEM_CONTENT_TYPE, type FieldIssueJson, type Paged, type Problem } from '@latchkey/contract';

/** The portal REST API (/api/v1), spoken with the session cookie; errors are RFC 9457 problem documents. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly fields: readonly FieldIssueJson[];
  constructor(status: number, message: string, fields: readonly FieldIssueJson[] = []) {
    super(message);
    this.status = status;
    this.fields = fields;
  }
}

/** Any failure as an ApiError (status 0 when it did not come from the API), for an ErrorNotice to show. */
export function toApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, String(error));
}

/**
 * The API's problem document as an ApiError. Anything else (a proxy's error page, a gateway timeout) is
 * not the API speaking: the status line is all there is.
 */
export async function problemOf(response: Response): Promise<ApiError> {
  const type = response.headers.get('content-type') ?? '';
  if (type.startsWith(PROBLEM_CONTENT_TYPE)) {
    try {
      const problem = (await response.json()) as Problem;
      return new ApiError(response.status, problem.detail, problem.fields ?? []);
    } catch {
      // Cut short: fall through to the status line.
    }
  }
  return new ApiError(response.status, `${response.status} ${response.statusText}`);
}

/** One call; `T` is the contract's type of the answer (`import type { ApplicationJson } from '@latchkey/contract'`). */
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

/** `path` with `params` added to its query string (empty values left out). */
export function withQuery(path: string, params: Readonly<Record<string, string | number | undefined | null>>): string {
  const [base = '', existing = ''] = path.split('?', 2);
  const search = new URLSearchParams(existing);
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text === '' ? base : `${base}?${text}`;
}

export const query = (params: Readonly<Record<string, string | number | undefined | null>>): string => withQuery('', params);

/**
 * Every item of a list endpoint, in pages of MAX_LIMIT through `next_cursor` until the last: a screen
 * that shows all of them must not stop at the first page.
 */
export async function fetchAll<Item>(path: string, get: (path: string) => Promise<Paged<Item>> = (p) => api<Paged<Item>>('GET', p)): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | null = null;
  do {
    const page: Paged<Item> = await get(withQuery(path, { limit: MAX_LIMIT, cursor }));
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor !== null);
  return items;
}

export const enc = encodeURIComponent;
