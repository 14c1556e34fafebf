import { createRoute, z } from '@hono/zod-openapi';
import type { SearchIndex } from '../../platform/ports.js';
import { createRouter } from '../app-env.js';
import { ProductSchema } from '../catalog/catalog-schemas.js';
import { problemResponses } from '../openapi-shared.js';

const SearchQuerySchema = z.object({
  q: z.string().trim().min(1, 'type something to search for').max(100),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

const SearchResultSchema = z
  .object({ items: z.array(ProductSchema), engine: z.string().openapi({ example: 'dynamodb-query' }) })
  .openapi('SearchResult');

const search = createRoute({
  method: 'get',
  path: '/search',
  tags: ['search'],
  summary: 'Products whose name, description or category contain the text (case-insensitive)',
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
    const { q, limit } = c.req.valid('query');
    return c.json({ items: await index.search(q, limit), engine: index.engine }, 200);
  });
  return router;
}
