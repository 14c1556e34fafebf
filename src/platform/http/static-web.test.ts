import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { staticWeb } from './static-web.js';

let app: Hono;

beforeAll(() => {
  const root = mkdtempSync(join(tmpdir(), 'growstack-web-'));
  mkdirSync(join(root, 'assets'));
  mkdirSync(join(root, 'images'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>shop</title>');
  writeFileSync(join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(root, 'images', 'books.svg'), '<svg/>');
  writeFileSync(join(root, '..', 'secret.txt'), 'no');
  app = new Hono();
  app.get('/api/health', (c) => c.json({ status: 'ok' }));
  app.get('/*', staticWeb(root));
  app.notFound((c) => c.json({ status: 404 }, 404));
});

describe('serving the built web UI', () => {
  it('serves index.html at / and for client-side routes, never cached', async () => {
    for (const path of ['/', '/products/01ABC', '/ops']) {
      const response = await app.request(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await response.text()).toContain('<title>shop</title>');
    }
  });

  it('keeps hashed assets for a year and other files revalidated', async () => {
    const asset = await app.request('/assets/index-abc123.js');
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const image = await app.request('/images/books.svg');
    expect(image.headers.get('content-type')).toBe('image/svg+xml');
    expect(image.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers 404 for missing files, API paths and paths that climb out of the folder', async () => {
    expect((await app.request('/assets/index-old.js')).status).toBe(404);
    expect((await app.request('/images/nope.svg')).status).toBe(404);
    expect((await app.request('/api/nowhere')).status).toBe(404);
    expect((await app.request('/metrics')).status).toBe(404);
    expect((await app.request('/%2e%2e/secret.txt')).status).toBe(404);
    expect((await app.request('/..%2fsecret.txt')).status).toBe(404);
    expect((await app.request('/api/health')).status).toBe(200);
  });
});
