import { createRoute } from '@hono/zod-openapi';
import { ProductRecordSchema, type SearchIndex } from '../../contracts/ports.js';
import { z } from '../../contracts/zod.js';
import { createRouter } from '../app-env.js';
import { ProductSchema } from '../catalog/catalog-schemas.js';
import { problemResponses } from '../openapi-shared.js';

const SearchQuerySchema = z.object({
  q: z.string().trim().min(1, 'type something to search for').max(100),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  category: ProductRecordSchema.shape.category.optional(),
  inStock: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .openapi({ description: 'true: only products in stock' }),
});

const SearchResultSchema = z
  .object({ items: z.array(ProductSchema), engine: z.string().openapi({ example: 'dynamodb-query' }) })
  .openapi('SearchResult');

const search = createRoute({
  method: 'get',
  path: '/search',
  tags: ['search'],
  summary:
    'Products matching the text in name, description or category, optionally in one category or in stock (OpenSearch at enterprise: ranked, typo-tolerant)',
  request: { query: SearchQuerySchema },
  responses: {
    200: { description: 'Matches', content: { 'application/json': { schema: SearchResultSchema } } },
    ...problemResponses(400),
  },
});

/** Product search, answered by whichever search engine the stage wires in. */
export function searchRoutes(index: SearchIndex) {
  const router = createRouter();
  router.openapi(search, async (c) => {
    const { q, limit, category, inStock } = c.req.valid('query');
    return c.json({ items: await index.search(q, limit, { category, inStock }), engine: index.engine }, 200);
  });
  return router;
}
