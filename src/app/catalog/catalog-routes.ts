import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ifNoneMatchHolds, REPLAYABLE } from '../../contracts/replayable.js';
import type { AuthMiddleware } from '../accounts/auth-middleware.js';
import { createRouter } from '../app-env.js';
import { jsonContent, problemResponses } from '../openapi-shared.js';
import {
  ProductCreateSchema,
  ProductIdParamSchema,
  ProductListQuerySchema,
  ProductPageSchema,
  ProductPatchSchema,
  ProductSchema,
} from './catalog-schemas.js';
import type { CachedRead, CatalogService } from './catalog-service.js';

const admin = [{ bearerAuth: [] }];

const NOT_MODIFIED = {
  description: 'The copy the client holds (`If-None-Match`) is current',
  headers: { ETag: { schema: { type: 'string' as const } } },
};

const listProducts = createRoute({
  method: 'get',
  path: '/products',
  tags: ['catalog'],
  summary: 'List products, newest first, optionally in one category',
  request: { query: ProductListQuerySchema },
  responses: {
    200: { description: 'A page of products', ...jsonContent(ProductPageSchema) },
    304: NOT_MODIFIED,
    ...problemResponses(400),
  },
});

const getProduct = createRoute({
  method: 'get',
  path: '/products/{id}',
  tags: ['catalog'],
  summary: 'One product',
  request: { params: ProductIdParamSchema },
  responses: {
    200: { description: 'The product', ...jsonContent(ProductSchema) },
    304: NOT_MODIFIED,
    ...problemResponses(404),
  },
});

const createProduct = createRoute({
  method: 'post',
  path: '/products',
  tags: ['catalog'],
  summary: 'Add a product (admin)',
  security: admin,
  request: { body: { required: true, ...jsonContent(ProductCreateSchema) } },
  responses: {
    201: { description: 'Created', ...jsonContent(ProductSchema) },
    ...problemResponses(400, 401, 403, 413, 415),
  },
});

const updateProduct = createRoute({
  method: 'patch',
  path: '/products/{id}',
  tags: ['catalog'],
  summary: 'Change a product (admin)',
  security: admin,
  request: { params: ProductIdParamSchema, body: { required: true, ...jsonContent(ProductPatchSchema) } },
  responses: {
    200: { description: 'Updated', ...jsonContent(ProductSchema) },
    ...problemResponses(400, 401, 403, 404, 413, 415),
  },
});

const deleteProduct = createRoute({
  method: 'delete',
  path: '/products/{id}',
  tags: ['catalog'],
  summary: 'Remove a product (admin)',
  security: admin,
  request: { params: ProductIdParamSchema },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 403, 404) },
});

/**
 * Catalog reads at every stage: browsers must ask again each time (`max-age=0, must-revalidate`)
 * and get a 304 while their copy's ETag still matches, so a write shows on the next page load;
 * shared caches (CloudFront) may keep a read 5 s (`s-maxage`). docs/caching.md states the bound
 * through every cache. `x-cache` says whether the app's own cache answered (growing on).
 */
export const CATALOG_CACHE_CONTROL = 'public, max-age=0, must-revalidate, s-maxage=5';

/** The cached bytes as they are, or a 304 when the client's copy is current. */
function catalogRead(c: Context, read: CachedRead<unknown>) {
  if (read.cache !== null) c.header('x-cache', read.cache);
  c.header('cache-control', CATALOG_CACHE_CONTROL);
  c.header('etag', read.etag);
  if (read.current)
    c.set(REPLAYABLE, {
      bytes: read.bytes,
      etag: read.etag,
      contentType: 'application/json',
      current: read.current,
    });
  if (ifNoneMatchHolds(c.req.header('if-none-match'), read.etag)) return c.body(null, 304);
  return c.body(read.bytes, 200, { 'content-type': 'application/json' });
}

/** The catalog: anyone reads, admins write. */
export function catalogRoutes(catalog: CatalogService, auth: AuthMiddleware) {
  const router = createRouter();
  router.openapi(listProducts, async (c) => {
    return catalogRead(c, await catalog.list(c.req.valid('query')));
  });
  router.openapi(getProduct, async (c) => {
    return catalogRead(c, await catalog.read(c.req.valid('param').id));
  });
  router.openapi({ ...createProduct, middleware: [auth.requireAdmin] }, async (c) =>
    c.json(await catalog.create(c.req.valid('json')), 201),
  );
  router.openapi({ ...updateProduct, middleware: [auth.requireAdmin] }, async (c) =>
    c.json(await catalog.update(c.req.valid('param').id, c.req.valid('json')), 200),
  );
  router.openapi({ ...deleteProduct, middleware: [auth.requireAdmin] }, async (c) => {
    await catalog.delete(c.req.valid('param').id);
    return c.body(null, 204);
  });
  return router;
}
