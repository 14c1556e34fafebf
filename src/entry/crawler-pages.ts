import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MiddlewareHandler } from 'hono';
import { type ProductLookup, productIdOf, renderProductPage } from '../app/catalog/product-page.js';
import { isCrawler } from '../contracts/crawlers.js';
import { NotFoundError } from '../contracts/errors.js';
import type { ProductRecord } from '../contracts/ports.js';
import { PAGE_CSP } from '../platform/http/static-web.js';

export interface CrawlerPagesOptions {
  /** The built web UI (web/dist): its index.html is the shell the pages are rendered into. */
  readonly webRoot: string;
  /** One product by id; throws NotFoundError when there is none (the catalog service's `get`). */
  readonly getProduct: (id: string) => Promise<ProductRecord>;
}

/**
 * The local server's product pages for crawlers and link-preview agents: the same renderer the
 * enterprise stage's Lambda@Edge function runs, so `curl -A Twitterbot localhost:3000/products/<id>`
 * shows what a preview reads. Everyone else, and every other path, goes on to the static web UI
 * as before. A product that does not exist gets the shell with a 404; a table that does not
 * answer, the plain shell with a 200, as at the edge.
 */
export function crawlerPages(options: CrawlerPagesOptions): MiddlewareHandler {
  const index = join(options.webRoot, 'index.html');
  return async (c, next) => {
    const id = productIdOf(c.req.path);
    if (!id) return next();
    if (!isCrawler(c.req.header('user-agent'))) {
      await next();
      // The same URL answers crawlers with their page: a shared cache must keep the two apart.
      c.res.headers.append('vary', 'User-Agent');
      return;
    }
    let shell: string;
    try {
      // Read per request, so a rebuilt UI shows at once, as the static handler serves it.
      shell = await readFile(index, 'utf8');
    } catch {
      return next();
    }
    const lookup = await lookUp(() => options.getProduct(id));
    const page = renderProductPage(shell, lookup, new URL(c.req.url).href);
    return c.body(page.html, page.status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      'content-security-policy': PAGE_CSP,
      vary: 'User-Agent',
    });
  };
}

async function lookUp(get: () => Promise<ProductRecord>): Promise<ProductLookup> {
  try {
    return { kind: 'found', product: await get() };
  } catch (error) {
    return error instanceof NotFoundError ? { kind: 'missing' } : { kind: 'unreachable' };
  }
}
