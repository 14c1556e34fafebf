import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
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
import { CATALOG_CACHE_SECONDS, type CatalogService } from './catalog-service.js';

const admin = [{ bearerAuth: [] }];

const listProducts = createRoute({
  method: 'get',
  path: '/products',
  tags: ['catalog'],
  summary: 'List products, newest first, optionally in one category',
  request: { query: ProductListQuerySchema },
  responses: {
    200: { description: 'A page of products', ...jsonContent(ProductPageSchema) },
    ...problemResponses(400),
  },
});

const getProduct = createRoute({
  method: 'get',
  path: '/products/{id}',
  tags: ['catalog'],
  summary: 'One product',
  request: { params: ProductIdParamSchema },
  responses: { 200: { description: 'The product', ...jsonContent(ProductSchema) }, ...problemResponses(404) },
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

/** `x-cache` says whether the cache answered; `cache-control` lets browsers and CDNs keep it as long. */
function cacheHeaders(c: Context, cache: 'hit' | 'miss' | null): void {
  if (cache === null) return;
  c.header('x-cache', cache);
  c.header('cache-control', `public, max-age=${CATALOG_CACHE_SECONDS}`);
}

/** The catalog: anyone reads, admins write. */
export function catalogRoutes(catalog: CatalogService, auth: AuthMiddleware) {
  const router = createRouter();
  router.openapi(listProducts, async (c) => {
    const read = await catalog.list(c.req.valid('query'));
    cacheHeaders(c, read.cache);
    return c.json(read.value, 200);
  });
  router.openapi(getProduct, async (c) => {
    const read = await catalog.read(c.req.valid('param').id);
    cacheHeaders(c, read.cache);
    return c.json(read.value, 200);
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
