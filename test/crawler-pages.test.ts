import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeRuntime, type Runtime } from '../src/entry/compose.js';
import { loadConfig } from '../src/platform/config.js';
import { type RunningServer, startHttpServer } from '../src/platform/runtime/http-server.js';
import { readPageHead } from './support/page-head.js';
import { createTestStorefront, silentLogger, type TestStorefront } from './support/storefront.js';

/** The app shell as vite builds it: a title and description for the whole shop, one module script. */
const SHELL = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="description" content="Growstack storefront" />
    <title>Growstack</title>
    <script type="module" crossorigin src="/assets/index-CPALGdV2.js"></script>
  </head>
  <body><div id="root"></div></body>
</html>`;

const TWITTERBOT = 'Twitterbot/1.0';
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';

let shop: TestStorefront;
const servers: { runtime: Runtime; server: RunningServer }[] = [];

/** The local server as `growstack dev` composes it (a web root), on 127.0.0.1, over HTTP. */
async function serve(overrides: Record<string, unknown> = {}): Promise<string> {
  const webRoot = mkdtempSync(join(tmpdir(), 'growstack-web-'));
  writeFileSync(join(webRoot, 'index.html'), SHELL);
  const runtime = composeRuntime(loadConfig({}, { ...shop.runtime.config, ...overrides }), {
    logger: silentLogger,
    webRoot,
  });
  const server = await startHttpServer(runtime.app, { port: 0, host: '127.0.0.1' });
  servers.push({ runtime, server });
  return `http://127.0.0.1:${server.port}`;
}

const get = async (url: string, userAgent: string) => {
  const response = await fetch(url, { headers: { 'user-agent': userAgent } });
  return { status: response.status, headers: response.headers, html: await response.text() };
};

let base: string;

beforeAll(async () => {
  shop = await createTestStorefront();
  base = await serve();
});

afterAll(async () => {
  for (const { runtime, server } of servers) {
    await server.close();
    runtime.close();
  }
});

describe('product pages for crawlers on the local server', () => {
  it("answers a crawler with the shell and the product's tags and JSON-LD", async () => {
    const product = await shop.product({
      name: 'Walnut desk lamp',
      priceCents: 4905,
      currency: 'EUR',
      stock: 3,
    });
    const page = await get(`${base}/products/${product.id}`, TWITTERBOT);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('vary')).toMatch(/user-agent/i);
    const head = readPageHead(page.html);
    const url = `${base}/products/${product.id}`;
    expect(head.title).toBe('Walnut desk lamp | Growstack');
    expect(head.meta).toMatchObject({
      'og:title': 'Walnut desk lamp',
      'og:url': url,
      'product:price:amount': '49.05',
      'twitter:card': 'summary_large_image',
    });
    expect(head.jsonLd).toEqual([
      expect.objectContaining({
        '@type': 'Product',
        name: 'Walnut desk lamp',
        sku: product.id,
        offers: expect.objectContaining({
          '@type': 'Offer',
          price: '49.05',
          priceCurrency: 'EUR',
          availability: 'https://schema.org/InStock',
          url,
        }),
      }),
    ]);
    // The app still loads for a reader that runs scripts.
    expect(page.html).toContain('src="/assets/index-CPALGdV2.js"');
  });

  it('says out of stock from the stock, and keeps a hostile name inert', async () => {
    const name = '</script><script>alert(1)</script> "lamp"';
    const product = await shop.product({ name, stock: 0 });
    const page = await get(`${base}/products/${product.id}`, 'facebookexternalhit/1.1');
    const head = readPageHead(page.html);
    expect(head.scriptCount).toBe(readPageHead(SHELL).scriptCount + 1);
    expect(head.meta['og:title']).toBe(name);
    expect(head.jsonLd[0]).toMatchObject({ name, offers: { availability: 'https://schema.org/OutOfStock' } });
  });

  it('answers a crawler asking for an unknown product with the plain shell and a 404', async () => {
    const page = await get(`${base}/products/01J9ZK3V8QW5Y7N2B4C6D8E0FG`, TWITTERBOT);
    expect(page.status).toBe(404);
    expect(page.html).toBe(SHELL);
  });

  it('gives people the app as before: the plain shell with a 200, for a product or not', async () => {
    const product = await shop.product();
    for (const path of [`/products/${product.id}`, '/products/01J9ZK3V8QW5Y7N2B4C6D8E0FG', '/cart']) {
      const page = await get(`${base}${path}`, BROWSER);
      expect(page.status, path).toBe(200);
      expect(page.html, path).toBe(SHELL);
      if (path.startsWith('/products/')) expect(page.headers.get('vary'), path).toMatch(/user-agent/i);
    }
    // Other paths are the static handler's, for crawlers too.
    expect((await get(`${base}/cart`, TWITTERBOT)).html).toBe(SHELL);
    expect((await get(`${base}/api/products/${product.id}`, TWITTERBOT)).status).toBe(200);
  });

  it('answers a crawler with the plain shell and a 200 when the table does not answer', async () => {
    // A port nothing listens on, with the SDK's retries: the page is late but never an error.
    const dead = await serve({ dynamodbEndpoint: 'http://127.0.0.1:9' });
    const page = await get(`${dead}/products/01J9ZK3V8QW5Y7N2B4C6D8E0FG`, TWITTERBOT);
    expect(page.status).toBe(200);
    expect(page.html).toBe(SHELL);
  }, 30_000);
});
