import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { PortalSettings } from '@latchkey/contract';
import { sendProblem } from './portal/problem.js';

/**
 * The built portal (packages/web/dist), from the server's dist/http/ or src/http/ alike.
 */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

/**
 * The portal's client-side routes. Listed, not a catch-all, so that an unknown `/api/*`, `/oauth/*`,
 * `/.well-known/*`, `/docs`, `/Token`, `/metrics` or `/healthz` path keeps its own 404 (problem+json on the
 * portal API) instead of answering with the page. Keep in step with packages/web/src/routes.ts.
 */
export const SPA_ROUTES = [
  '/',
  '/login',
  '/signup',
  '/applications',
  '/applications/*',
  '/invitations/*',
  '/tokens',
  '/tokens/*',
  '/admin',
  '/admin/*',
] as const;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

// Vite names every file under assets/ after a hash of its content: a changed file gets a new name, so
// browsers may keep one for a year without asking again.
const IMMUTABLE = 'public, max-age=31536000, immutable';
// One plain name per file, no directories: nothing can climb out of assets/.
const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

// The page loads only its own scripts and styles and talks only to this origin.
const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-cache',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Latchkey</title></head>
<body><main><h1>Latchkey</h1><p>The token server is running, but the web portal has not been built.
Run <code>npm run build</code> (or <code>npm start</code>, which builds everything) and reload this page.</p>
<p>The portal API is at <a href="/docs">/docs</a>.</p></main></body></html>`;

/** What the portal needs to know of the server's configuration; written into the page it serves. */
export type { PortalSettings };

export interface WebRoutesOptions {
  /** The directory holding the built portal (index.html and assets/). */
  readonly root?: string | undefined;
  readonly settings?: PortalSettings | undefined;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Serves the portal from the same origin as its API (so the session cookie and the same-origin guard just
 * work). Routes only, no hooks: nothing here runs on a token request.
 */
export function registerWebRoutes(app: FastifyInstance, options: WebRoutesOptions = {}): void {
  const root = options.root ?? DEFAULT_WEB_ROOT;
  const assets = join(root, 'assets');
  const indexFile = join(root, 'index.html');
  if (!existsSync(indexFile)) app.log.warn({ root }, 'web portal not built: / explains how to build it');

  // A meta element, not an inline script: the page's CSP allows no inline script.
  const meta = options.settings
    ? `<meta name="latchkey-settings" content="${escapeAttribute(JSON.stringify(options.settings))}">`
    : '';
  const sendPage = (reply: FastifyReply): FastifyReply => {
    // Read on each request: a rebuild shows at once, and the page is small.
    let page: string;
    try {
      page = readFileSync(indexFile, 'utf8');
    } catch {
      return reply.code(503).headers({ ...PAGE_HEADERS, 'retry-after': '60' }).send(NOT_BUILT);
    }
    return reply.headers(PAGE_HEADERS).send(page.replace('</head>', `${meta}</head>`));
  };

  // Pages, not API: kept out of the OpenAPI document.
  const hidden = { schema: { hide: true } };
  for (const url of SPA_ROUTES) app.get(url, hidden, (_request, reply) => sendPage(reply));

  app.get<{ Params: { file: string } }>('/assets/:file', hidden, (request, reply) => {
    const name = request.params.file;
    const type = CONTENT_TYPES[name.slice(name.lastIndexOf('.'))];
    const path = join(assets, name);
    if (!ASSET_NAME.test(name) || type === undefined || !isFile(path)) {
      return sendProblem(reply, 404, 'not_found', `no portal file ${name}; reload the page to get the current version`);
    }
    return reply.headers({ 'content-type': type, 'cache-control': IMMUTABLE, 'x-content-type-options': 'nosniff' }).send(createReadStream(path));
  });
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
