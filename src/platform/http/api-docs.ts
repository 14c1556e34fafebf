import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';

const ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Growstack API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>`;

// A separate file rather than an inline script, so the page works under a strict CSP.
const INIT = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true });`;

/**
 * Swagger UI for /api/openapi.json, with every asset served from the installed swagger-ui-dist
 * package: the docs work with no internet. Mount at /api/docs.
 */
export function apiDocsRoutes(): Hono {
  const router = new Hono();
  let assetDir: string | null | undefined;
  const findAssets = () => {
    if (assetDir === undefined) {
      try {
        assetDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
      } catch {
        assetDir = null; // Not shipped (the Lambda bundle leaves it out): the route answers 404.
      }
    }
    return assetDir;
  };
  const docsCsp =
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'";
  router.get('/', (c) => {
    c.header('content-security-policy', docsCsp);
    return c.html(PAGE);
  });
  router.get('/init.js', (c) => c.body(INIT, 200, { 'content-type': 'text/javascript; charset=utf-8' }));
  router.get('/assets/:file', async (c) => {
    const file = c.req.param('file');
    const type = ASSETS[file];
    const dir = findAssets();
    if (!type || !dir) return c.notFound();
    const body = await readFile(join(dir, file));
    return c.body(body, 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
  });
  return router;
}
