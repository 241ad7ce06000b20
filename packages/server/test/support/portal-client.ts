import type { TestServer } from './test-server.js';

/** The administrator every portal test server starts with (LATCHKEY_ADMIN_EMAIL / _PASSWORD). */
export const ADMIN = { email: 'admin@example.org', password: 'correct horse battery staple' } as const;

/** Start portal test servers with this: the administrator, and no sign-up limit in the way of tests. */
export const ADMIN_ENV = { LATCHKEY_ADMIN_EMAIL: ADMIN.email, LATCHKEY_ADMIN_PASSWORD: ADMIN.password, LATCHKEY_SIGNUPS_PER_HOUR: '100000' } as const;

/** An RFC 9457 problem document as the portal API answers it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  fields?: { field: string; message: string }[];
}

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

let users = 0;

/** Signs up a fresh user (unique email unless given) and logs in: its cookie, id and email. */
export async function signUpAndLogIn(
  server: TestServer,
  options: { email?: string; name?: string; password?: string } = {},
): Promise<{ cookie: string; id: string; email: string; password: string }> {
  const email = options.email ?? `user${++users}-${Math.random().toString(36).slice(2, 8)}@example.org`;
  const password = options.password ?? 'tangerine viaduct orchestra';
  const signUp = await api(server, 'POST', '/users', { body: { email, name: options.name ?? 'Test User', password } });
  if (signUp.status !== 202) throw new Error(`sign-up failed: ${signUp.status} ${JSON.stringify(signUp.body)}`);
  const cookie = await logIn(server, email, password);
  const me = await api<{ user: { id: string } }>(server, 'GET', '/session', { cookie });
  return { cookie, id: me.body.user.id, email, password };
}
