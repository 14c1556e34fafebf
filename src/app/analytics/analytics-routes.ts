import { createRoute, z } from '@hono/zod-openapi';
import { NotFoundError } from '../../platform/errors.js';
import type { Ports } from '../../platform/ports.js';
import { createRouter } from '../app-env.js';
import { problemResponses } from '../openapi-shared.js';

export const EVENT_TYPES = ['view', 'add_to_cart', 'remove_from_cart', 'checkout', 'search'] as const;

const EventSchema = z
  .strictObject({
    type: z.enum(EVENT_TYPES),
    productId: z.string().min(1).max(64).optional(),
  })
  .openapi('AnalyticsEvent');

/** Counters of events without a product (a search, say) are kept under this id. */
export const SITE_WIDE = '_site';

const recordEvent = createRoute({
  method: 'post',
  path: '/events',
  tags: ['analytics'],
  summary: 'Record an analytics event (atomic counter per product and type)',
  request: { body: { required: true, content: { 'application/json': { schema: EventSchema } } } },
  responses: {
    202: {
      description: 'Counted',
      content: { 'application/json': { schema: z.object({ accepted: z.literal(true) }) } },
    },
    ...problemResponses(400, 404, 413, 415),
  },
});

/** Analytics events, counted per product and type. */
export function analyticsRoutes(ports: Ports) {
  const router = createRouter();
  router.openapi(recordEvent, async (c) => {
    const event = c.req.valid('json');
    if (event.productId !== undefined && !(await ports.table.products.get(event.productId))) {
      throw new NotFoundError(`No product with id ${event.productId}.`);
    }
    await ports.table.counters.increment(event.productId ?? SITE_WIDE, event.type);
    ports.metrics.count('events_recorded');
    return c.json({ accepted: true as const }, 202);
  });
  return router;
}
