import { createRoute } from '@hono/zod-openapi';
import type { AuthMiddleware } from '../accounts/auth-middleware.js';
import { createRouter } from '../app-env.js';
import { jsonContent, problemResponses } from '../openapi-shared.js';
import {
  IdempotencyHeaderSchema,
  OrderIdParamSchema,
  type OrderLimits,
  OrderListQuerySchema,
  OrderPageSchema,
  OrderSchema,
  orderCreateSchema,
} from './orders-schemas.js';
import type { OrdersService } from './orders-service.js';

const signedIn = [{ bearerAuth: [] }];

const placeOrder = (limits: OrderLimits) =>
  createRoute({
    method: 'post',
    path: '/orders',
    tags: ['orders'],
    summary: 'Place an order; stock is taken in the same transaction',
    description:
      'The same Idempotency-Key with the same items returns the same order (header `idempotent-replayed: true`), so a retried or double-clicked checkout makes one order. The same key with other items is refused with 422.',
    security: signedIn,
    request: {
      headers: IdempotencyHeaderSchema,
      body: { required: true, ...jsonContent(orderCreateSchema(limits)) },
    },
    responses: {
      201: { description: 'The order', ...jsonContent(OrderSchema) },
      ...problemResponses(400, 401, 404, 409, 413, 415, 422, 429),
    },
  });

const listOrders = createRoute({
  method: 'get',
  path: '/orders',
  tags: ['orders'],
  summary: 'My orders, newest first',
  security: signedIn,
  request: { query: OrderListQuerySchema },
  responses: {
    200: { description: 'A page of orders', ...jsonContent(OrderPageSchema) },
    ...problemResponses(400, 401),
  },
});

const getOrder = createRoute({
  method: 'get',
  path: '/orders/{id}',
  tags: ['orders'],
  summary: 'One of my orders',
  security: signedIn,
  request: { params: OrderIdParamSchema },
  responses: {
    200: { description: 'The order', ...jsonContent(OrderSchema) },
    ...problemResponses(401, 404),
  },
});

/** Orders of the signed-in user. */
export function ordersRoutes(orders: OrdersService, auth: AuthMiddleware) {
  const router = createRouter();
  router.openapi({ ...placeOrder(orders.limits), middleware: [auth.requireUser] }, async (c) => {
    const key = c.req.valid('header')['idempotency-key'];
    const placed = await orders.place(c.var.user.id, c.req.valid('json'), key, c.var.user);
    if (placed.replayed) c.header('idempotent-replayed', 'true');
    return c.json(placed.order, 201);
  });
  router.openapi({ ...listOrders, middleware: [auth.requireUser] }, async (c) =>
    c.json(await orders.list(c.var.user.id, c.req.valid('query')), 200),
  );
  router.openapi({ ...getOrder, middleware: [auth.requireUser] }, async (c) =>
    c.json(await orders.get(c.var.user.id, c.req.valid('param').id), 200),
  );
  return router;
}
