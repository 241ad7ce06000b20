import type { TestServer } from './test-server.js';

/** The administrator every portal test server starts with (LATCHKEY_ADMIN_EMAIL / _PASSWORD). */
export const ADMIN = { email: 'admin@example.org', password: 'correct horse battery staple' } as const;

export const ADMIN_ENV = { LATCHKEY_ADMIN_EMAIL: ADMIN.email, LATCHKEY_ADMIN_PASSWORD: ADMIN.password } as const;

export interface ApiResponse<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

export interface ApiOptions {
  /** Session cookie (`name=value`) from `logIn`, or a bearer token. */
  readonly cookie?: string;
  readonly bearer?: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/** One JSON request to the portal API (`path` relative to /api/v1, or absolute from /). */
export async function api<T = unknown>(server: TestServer, method: string, path: string, options: ApiOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${server.url}${path.startsWith('/api/') ? path : `/api/v1${path}`}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    // Not JSON: the raw text is the body.
  }
  return { status: response.status, headers: response.headers, body: body as T };
}

/** Logs in and answers the session cookie as `name=value`, ready for `api(..., { cookie })`. */
export async function logIn(server: TestServer, email: string, password: string): Promise<string> {
  const response = await api(server, 'POST', '/session', { body: { email, password } });
  const setCookie = response.headers.get('set-cookie');
  if (response.status !== 200 || !setCookie) throw new Error(`log-in failed: ${response.status} ${JSON.stringify(response.body)}`);
  return setCookie.split(';')[0] ?? '';
}
