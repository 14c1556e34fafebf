/** Orders and the transaction that places them. */

import { z } from '../zod.js';
import { CurrencySchema, IsoDateTimeSchema, type Page, type PageRequest } from './common.js';

export const OrderLineSchema = z.object({
  productId: z.string(),
  name: z.string(),
  quantity: z.number().int().min(1),
  unitPriceCents: z.number().int().min(0),
  lineTotalCents: z.number().int().min(0),
});

export const OrderRecordSchema = z.object({
  id: z.string(),
  userId: z.string(),
  status: z.enum(['placed']),
  items: z.array(OrderLineSchema),
  totalCents: z.number().int().min(0),
  currency: CurrencySchema,
  idempotencyKey: z.string(),
  createdAt: IsoDateTimeSchema,
});
export type OrderRecord = z.infer<typeof OrderRecordSchema>;

export interface PlacedOrder {
  readonly order: OrderRecord;
  /** True when the idempotency key had already placed this order. */
  readonly replayed: boolean;
}

/** What an order is placed with besides the order itself. */
export interface OrderPlacement {
  /**
   * Identifies the request (SHA-256 of its merged, sorted lines); stored with the idempotency key
   * so a key reused for another request is refused rather than answered with the first order.
   */
  readonly fingerprint: string;
  /**
   * The per-account cap: units of each product this account may have bought in the window that
   * starts at `windowStart` and ends at `windowEnd` (ISO-8601), this order included. Counted in
   * the order's transaction; a line over it throws TooManyRequestsError with `retryAfterSeconds`.
   * Absent: no cap.
   */
  readonly perProductCap?:
    | {
        readonly max: number;
        readonly windowStart: string;
        readonly windowEnd: string;
        readonly retryAfterSeconds: number;
      }
    | undefined;
}

export interface OrderRepository {
  /**
   * Writes the order, decrements each product's stock and claims the idempotency key in one
   * transaction. Returns the earlier order when the key was already used by this user for the
   * same request; throws IdempotencyKeyReusedError when it was used for another one. Throws
   * ConflictError when any product's stock is short, NotFoundError when a product is gone.
   */
  place(order: OrderRecord, placement: OrderPlacement): Promise<PlacedOrder>;
  get(userId: string, orderId: string): Promise<OrderRecord | null>;
  listForUser(userId: string, request: PageRequest): Promise<Page<OrderRecord>>;
}
