import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { MiddlewareHandler } from 'hono';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
};

/** Vite names bundled files `name-<hash>.ext` under /assets: their content never changes. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Everything else (index.html, images in public/) is revalidated so a new build shows at once. */
const REVALIDATE = 'no-cache';

/**
 * The single-page app's page: scripts and styles only from this origin, so nothing is loaded
 * from the internet; inline styles are allowed because the chart library sizes its canvas with them.
 */
export const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'";

/** Paths the web app never answers: the API and the metrics keep their own 404s. */
function belongsToServer(path: string): boolean {
  return path === '/api' || path.startsWith('/api/') || path === '/metrics';
}

/**
 * Serves the built web UI (web/dist) for GET (Hono answers HEAD from it too): files as they are, and index.html for any
 * other path so the app's client-side routes (/products/:id, /ops) survive a reload.
 */
export function staticWeb(root: string): MiddlewareHandler {
  const base = normalize(root + sep);
  const fileAt = async (path: string): Promise<string | null> => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return null;
    }
    const file = normalize(join(base, decoded));
    if (!file.startsWith(base) || decoded.includes('\0')) return null;
    try {
      return (await stat(file)).isFile() ? file : null;
    } catch {
      return null;
    }
  };
  return async (c, next) => {
    if (belongsToServer(c.req.path)) return next();
    const path = c.req.path;
    const file = path === '/' ? null : await fileAt(path);
    if (file) {
      const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
      const cache = path.startsWith('/assets/') ? IMMUTABLE : REVALIDATE;
      const headers: Record<string, string> = { 'content-type': type, 'cache-control': cache };
      if (extname(file) === '.html') headers['content-security-policy'] = PAGE_CSP;
      return c.body(new Uint8Array(await readFile(file)), 200, headers);
    }
    // A missing hashed asset is a stale page asking for an old build: a 404, not the app shell.
    if (path.startsWith('/assets/') || extname(path) !== '') return next();
    const index = await fileAt('/index.html');
    if (!index) return next();
    return c.body(new Uint8Array(await readFile(index)), 200, {
      'content-type': CONTENT_TYPES['.html']!,
      'cache-control': REVALIDATE,
      'content-security-policy': PAGE_CSP,
    });
  };
}
