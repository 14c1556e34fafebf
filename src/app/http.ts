import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { accountsRoutes } from './accounts/accounts-routes.js';
import { type AccountsOptions, AccountsService } from './accounts/accounts-service.js';
import { authMiddleware } from './accounts/auth-middleware.js';
import { analyticsRoutes } from './analytics/analytics-routes.js';
import { type AppDeps, type AppEnv, createRouter } from './app-env.js';
import { catalogRoutes } from './catalog/catalog-routes.js';
import { CatalogService } from './catalog/catalog-service.js';
import { opsRoutes } from './ops/ops-routes.js';
import { ordersRoutes } from './orders/orders-routes.js';
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

const health = createRoute({
  method: 'get',
  path: '/health',
  tags: ['operations'],
  summary: 'Ready to serve',
  responses: {
    200: {
      description: 'Every part is up',
      content: { 'application/json': { schema: z.object({ status: z.literal('ok'), stage: z.string() }) } },
    },
  },
});

/** Composes the storefront API from its feature routes. Mount it at `/api`. */
export function createStorefrontApi(deps: AppDeps, options: AccountsOptions): StorefrontApi {
  const accounts = new AccountsService(deps.ports, options);
  const catalog = new CatalogService(deps.ports);
  const orders = new OrdersService(deps.ports);
  const auth = authMiddleware(accounts);

  const api = createRouter();
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'The token returned by signup or login.',
  });
  api.openapi(health, (c) => c.json({ status: 'ok' as const, stage: deps.stage }, 200));
  api.route('/', accountsRoutes(accounts, auth, deps.clientAddress));
  api.route('/', catalogRoutes(catalog, auth));
  api.route('/', ordersRoutes(orders, auth));
  api.route('/', searchRoutes(deps.ports.search));
  api.route('/', analyticsRoutes(deps.ports, auth));
  api.route('/', opsRoutes(deps.capabilities, auth, deps.ports.costAdvisor));
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
