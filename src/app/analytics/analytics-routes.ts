import { createRoute } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { NotFoundError } from '../../contracts/errors.js';
import { EVENT_TYPES, type Ports, SITE_WIDE, TopProductsReportSchema } from '../../contracts/ports.js';
import { z } from '../../contracts/zod.js';
import type { AuthMiddleware } from '../accounts/auth-middleware.js';
import { createRouter } from '../app-env.js';
import type { CatalogService } from '../catalog/catalog-service.js';
import { jsonContent, problemResponses } from '../openapi-shared.js';

export { EVENT_TYPES, SITE_WIDE };

const EventSchema = z
  .strictObject({
    type: z.enum(EVENT_TYPES),
    productId: z.string().min(1).max(64).optional(),
  })
  .openapi('AnalyticsEvent');

const recordEvent = createRoute({
  method: 'post',
  path: '/events',
  tags: ['analytics'],
  summary: 'Record an analytics event (a counter per product and type, or the event stream at enterprise)',
  description:
    'No sign-in needed, so each client may send a bounded number of events per window (429 past it); an event for a product that does not exist is refused with 404.',
  request: { body: { required: true, content: { 'application/json': { schema: EventSchema } } } },
  responses: {
    202: {
      description: 'Accepted',
      content: { 'application/json': { schema: z.object({ accepted: z.literal(true) }) } },
    },
    ...problemResponses(400, 404, 413, 415, 429),
  },
});

/** The ranking as the ops console shows it: each product with its name (null once deleted). */
const TopProductsAnswerSchema = TopProductsReportSchema.extend({
  products: z.array(TopProductsReportSchema.shape.products.element.extend({ name: z.string().nullable() })),
}).openapi('TopProductsAnswer');
export type TopProductsAnswer = z.infer<typeof TopProductsAnswerSchema>;

const topProducts = createRoute({
  method: 'get',
  path: '/ops/analytics/top-products',
  tags: ['operations'],
  summary: 'Top products in the last hour or day, from the event stream (admin; enterprise)',
  security: [{ bearerAuth: [] }],
  request: {
    query: z.object({
      window: z.enum(['hour', 'day']).default('hour'),
      limit: z.coerce.number().int().min(1).max(100).default(10),
    }),
  },
  responses: {
    200: { description: 'The ranking and its window', ...jsonContent(TopProductsAnswerSchema) },
    ...problemResponses(400, 401, 403, 404),
  },
});

/**
 * Analytics events in, and the report on them out. Events need no sign-in, so anyone can send
 * them: `eventLimiter` bounds them per client, and only products that exist are counted, checked
 * through the catalog's cached read rather than a table read per event.
 */
export function analyticsRoutes(
  ports: Ports,
  auth: AuthMiddleware,
  catalog: CatalogService,
  eventLimiter?: MiddlewareHandler | undefined,
) {
  const router = createRouter();
  router.openapi({ ...recordEvent, middleware: eventLimiter ? [eventLimiter] : [] }, async (c) => {
    const event = c.req.valid('json');
    // Throws NotFoundError (404) for a product that does not exist.
    if (event.productId !== undefined) await catalog.read(event.productId);
    await ports.events.record({ ...event, at: ports.clock.now().toISOString() });
    ports.metrics.count('events_recorded');
    return c.json({ accepted: true as const }, 202);
  });
  router.openapi({ ...topProducts, middleware: [auth.requireAdmin] }, async (c) => {
    if (!ports.analytics)
      throw new NotFoundError(
        'the top-products report reads the event stream, which this stage does not have (enterprise)',
      );
    const { window, limit } = c.req.valid('query');
    const report = TopProductsReportSchema.parse(await ports.analytics.topProducts(window, limit));
    const products = await Promise.all(
      report.products.map(async (product) => ({
        ...product,
        name: (await ports.table.products.get(product.productId))?.name ?? null,
      })),
    );
    return c.json({ ...report, products }, 200);
  });
  return router;
}
