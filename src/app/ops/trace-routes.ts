import { createRoute, z } from '@hono/zod-openapi';
import { NotFoundError } from '../../contracts/errors.js';
import type { TraceStore } from '../../contracts/traces.js';
import type { AuthMiddleware } from '../accounts/auth-middleware.js';
import { createRouter } from '../app-env.js';
import { jsonContent, problemResponses } from '../openapi-shared.js';

const TraceLinkSchema = z.object({ traceId: z.string(), spanId: z.string() });

const TraceSummarySchema = z
  .object({
    traceId: z.string(),
    kind: z.enum(['request', 'job']),
    name: z.string(),
    route: z.string().openapi({ description: 'The route pattern of a request, the type of a job.' }),
    status: z.number().int().optional(),
    error: z.boolean(),
    durationMs: z.number(),
    startedAt: z.string(),
    spanCount: z.number().int(),
    links: z.array(TraceLinkSchema).openapi({ description: 'A job: the request that enqueued it.' }),
  })
  .openapi('TraceSummary');

const TraceSpanSchema = z
  .object({
    spanId: z.string(),
    parentSpanId: z.string().optional(),
    name: z.string(),
    kind: z.string(),
    offsetMs: z.number().openapi({ description: "After the trace's first span started." }),
    durationMs: z.number(),
    error: z.string().optional(),
    attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  })
  .openapi('TraceSpan');

const TraceDetailSchema = TraceSummarySchema.extend({
  spans: z.array(TraceSpanSchema),
  linkedFrom: z.array(TraceSummarySchema).openapi({ description: 'The jobs this request enqueued.' }),
}).openapi('TraceDetail');

export const TraceListQuerySchema = z.object({
  route: z.string().max(200).optional().openapi({ description: 'Routes containing this text.' }),
  status: z
    .string()
    .regex(/^([1-5](\d\d|xx)|error)$/, 'a status (404), a class (5xx) or error')
    .optional()
    .openapi({ description: '`404`, a class such as `5xx`, or `error` for any failed trace.' }),
  sort: z.enum(['recent', 'slowest']).default('recent'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const listTraces = createRoute({
  method: 'get',
  path: '/ops/traces',
  tags: ['operations'],
  summary: 'The recent requests and jobs this process traced, newest or slowest first (admin, local)',
  security: [{ bearerAuth: [] }],
  request: { query: TraceListQuerySchema },
  responses: {
    200: {
      description: 'Traces, without their spans',
      ...jsonContent(z.object({ items: z.array(TraceSummarySchema), capacity: z.number().int() })),
    },
    ...problemResponses(400, 401, 403),
  },
});

const getTrace = createRoute({
  method: 'get',
  path: '/ops/traces/{traceId}',
  tags: ['operations'],
  summary: 'One trace with its spans, for a waterfall (admin, local)',
  security: [{ bearerAuth: [] }],
  request: { params: z.object({ traceId: z.string().regex(/^[0-9a-f]{32}$/, '32 hex digits') }) },
  responses: {
    200: { description: 'The trace and its spans', ...jsonContent(TraceDetailSchema) },
    ...problemResponses(400, 401, 403, 404),
  },
});

/** The traces the process keeps in memory (local runs), for the ops console. Admin only. */
export function traceRoutes(store: TraceStore, auth: AuthMiddleware) {
  const router = createRouter();
  router.openapi({ ...listTraces, middleware: [auth.requireAdmin] }, (c) => {
    const query = c.req.valid('query');
    return c.json({ items: store.list(query), capacity: store.capacity }, 200);
  });
  router.openapi({ ...getTrace, middleware: [auth.requireAdmin] }, (c) => {
    const { traceId } = c.req.valid('param');
    const found = store.get(traceId);
    if (!found)
      throw new NotFoundError(`no trace ${traceId} is kept: it is older than the last ${store.capacity}`);
    return c.json(found, 200);
  });
  return router;
}
