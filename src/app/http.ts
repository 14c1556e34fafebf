import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { z } from '../contracts/zod.js';
import { accountsRoutes } from './accounts/accounts-routes.js';
import { type AccountsOptions, AccountsService } from './accounts/accounts-service.js';
import { authMiddleware } from './accounts/auth-middleware.js';
import { analyticsRoutes } from './analytics/analytics-routes.js';
import { type AppDeps, type AppEnv, createRouter } from './app-env.js';
import { catalogRoutes } from './catalog/catalog-routes.js';
import { CatalogService } from './catalog/catalog-service.js';
import { ProblemSchema } from './openapi-shared.js';
import { opsRoutes } from './ops/ops-routes.js';
import { traceRoutes } from './ops/trace-routes.js';
import { ordersRoutes } from './orders/orders-routes.js';
import type { OrderLimits } from './orders/orders-schemas.js';
import { OrdersService } from './orders/orders-service.js';
import { searchRoutes } from './search/search-routes.js';

export interface StorefrontApi {
  /** The API, to be mounted at /api. */
  readonly api: OpenAPIHono<AppEnv>;
  readonly services: {
    readonly accounts: AccountsService;
    readonly catalog: CatalogService;
    readonly orders: OrdersService;
  };
}

const DependencyStateSchema = z
  .object({
    status: z.enum(['ok', 'down']),
    mode: z
      .string()
      .openapi({ description: 'The adapter that serves it: dynamodb, redis, sqs, memory, inline...' }),
    detail: z.string().optional(),
  })
  .openapi('DependencyState');
const ChecksSchema = z.record(z.string(), DependencyStateSchema).openapi({
  description: 'Each dependency of the stage (table, cache, queue) and its state.',
});

const health = createRoute({
  method: 'get',
  path: '/health',
  tags: ['operations'],
  summary: 'Readiness: every dependency the stage needs answers',
  description:
    'For load balancer targets, Kubernetes readiness and Route 53 failover. Answers are reused for 1.5 s, so polling it does not load the table. Never rate limited.',
  responses: {
    200: {
      description: 'Ready: every dependency answers',
      content: {
        'application/json': {
          schema: z.object({ status: z.literal('ok'), stage: z.string(), checks: ChecksSchema }),
        },
      },
    },
    503: {
      description: 'Not ready: `detail` names the dependencies that are down',
      content: {
        'application/problem+json': {
          schema: ProblemSchema.extend({ stage: z.string(), checks: ChecksSchema }),
        },
      },
    },
  },
});

const live = createRoute({
  method: 'get',
  path: '/health/live',
  tags: ['operations'],
  summary: 'Liveness: the process answers',
  description:
    'For container and Kubernetes liveness: asks no dependency, so an outage of the table never gets healthy processes restarted. Never rate limited.',
  responses: {
    200: {
      description: 'The process serves',
      content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } },
    },
  },
});

/** Composes the storefront API from its feature routes. Mount it at `/api`. */
export function createStorefrontApi(
  deps: AppDeps,
  options: AccountsOptions & {
    orderLimits: OrderLimits;
    /** Bounds anonymous analytics events per client; absent: unbounded. */
    eventLimiter?: MiddlewareHandler | undefined;
  },
): StorefrontApi {
  const accounts = new AccountsService(deps.ports, options);
  const catalog = new CatalogService(deps.ports);
  const orders = new OrdersService(deps.ports, options.orderLimits);
  const auth = authMiddleware(accounts);

  const api = createRouter();
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'The token returned by signup or login.',
  });
  api.openapi(health, async (c) => {
    const { ready, checks } = await deps.ports.readiness.check();
    if (ready) return c.json({ status: 'ok' as const, stage: deps.stage, checks }, 200);
    const down = Object.entries(checks).filter(([, state]) => state.status === 'down');
    return c.json(
      {
        type: 'about:blank',
        title: 'Not Ready',
        status: 503,
        detail: `Not ready: ${down.map(([name, state]) => `${name} ${state.detail ?? 'down'}`).join('; ')}.`,
        instance: c.req.path,
        stage: deps.stage,
        checks,
      },
      503,
      { 'content-type': 'application/problem+json', 'retry-after': '1' },
    );
  });
  api.openapi(live, (c) => c.json({ status: 'ok' as const }, 200));
  api.route('/', accountsRoutes(accounts, auth, deps.clientAddress));
  api.route('/', catalogRoutes(catalog, auth));
  api.route('/', ordersRoutes(orders, auth));
  api.route('/', searchRoutes(deps.ports.search));
  api.route('/', analyticsRoutes(deps.ports, auth, catalog, options.eventLimiter));
  api.route('/', opsRoutes(deps.capabilities, auth, deps.ports.costAdvisor, deps.ports.stageMap));
  if (deps.traces) api.route('/', traceRoutes(deps.traces, auth));
  api.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Growstack storefront API',
      version: '1.0.0',
      description:
        'Errors are RFC 9457 application/problem+json. Authenticate with `Authorization: Bearer <token>`.',
    },
    servers: [{ url: '/api' }],
  });
  return { api, services: { accounts, catalog, orders } };
}
