import { OrderRecordSchema } from '../../contracts/ports.js';
import { z } from '../../contracts/zod.js';
import { PageQuerySchema } from '../openapi-shared.js';

export const OrderSchema = OrderRecordSchema.openapi('Order');

/** DynamoDB transactions take at most 100 items; 25 lines (a stock update and a tally each) + 2 stay inside. */
export const MAX_ORDER_LINES = 25;

/** How much one order, and one account over time, may buy (settings; defaults in the config). */
export interface OrderLimits {
  /** Units of one product in one order. */
  readonly maxLineQuantity: number;
  /** Units in all in one order. */
  readonly maxQuantity: number;
  /** Units of one product one account may buy per window; 0: no cap. */
  readonly maxProductQuantityPerWindow: number;
  /** The window's length; windows start at midnight UTC when it divides a day. */
  readonly windowHours: number;
}

/** The order a client sends, with the limits in force written into its schema and description. */
export function orderCreateSchema(limits: OrderLimits) {
  const perAccount =
    limits.maxProductQuantityPerWindow > 0
      ? ` One account may buy at most ${limits.maxProductQuantityPerWindow} units of a product per ${limits.windowHours} h (429 past that).`
      : '';
  return z
    .strictObject({
      items: z
        .array(
          z.strictObject({
            productId: z.string().min(1).max(64),
            quantity: z
              .number()
              .int()
              .min(1, 'must be at least 1')
              .max(limits.maxLineQuantity, `must be at most ${limits.maxLineQuantity}`),
          }),
        )
        .min(1, 'an order needs at least one item')
        .max(MAX_ORDER_LINES)
        .refine((items) => totalUnits(items) <= limits.maxQuantity, {
          message: `at most ${limits.maxQuantity} units in all`,
        })
        .openapi({
          description: `At most ${limits.maxLineQuantity} units of a product and ${limits.maxQuantity} units in all.${perAccount}`,
        }),
    })
    .openapi('OrderCreate');
}
export type OrderCreate = z.infer<ReturnType<typeof orderCreateSchema>>;

/** Units in all over the order's lines. */
export function totalUnits(items: readonly { quantity: number }[]): number {
  return items.reduce((sum, item) => sum + item.quantity, 0);
}

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
