import { z } from '@hono/zod-openapi';
import { OrderRecordSchema } from '../../platform/ports.js';
import { PageQuerySchema } from '../openapi-shared.js';

export const OrderSchema = OrderRecordSchema.openapi('Order');

/** DynamoDB transactions take at most 100 items; 25 lines + 2 bookkeeping items stays well inside. */
export const MAX_ORDER_LINES = 25;

export const OrderCreateSchema = z
  .strictObject({
    items: z
      .array(
        z.strictObject({
          productId: z.string().min(1).max(64),
          quantity: z.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100'),
        }),
      )
      .min(1, 'an order needs at least one item')
      .max(MAX_ORDER_LINES),
  })
  .openapi('OrderCreate');
export type OrderCreate = z.infer<typeof OrderCreateSchema>;

export const IdempotencyHeaderSchema = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must be 1-128 characters of letters, digits, _ . : -')
    .openapi({
      example: 'checkout-7f3a',
      description: 'Any unique string per checkout; a retry with the same key returns the same order.',
    }),
});

export const OrderListQuerySchema = PageQuerySchema;

export const OrderPageSchema = z
  .object({ items: z.array(OrderSchema), nextCursor: z.string().nullable() })
  .openapi('OrderPage');

export const OrderIdParamSchema = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' } }),
});
