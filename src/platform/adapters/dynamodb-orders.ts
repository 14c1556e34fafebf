import {
  ConflictError,
  IdempotencyKeyReusedError,
  NotFoundError,
  TooManyRequestsError,
} from '../../contracts/errors.js';
import type {
  OrderPlacement,
  OrderRecord,
  OrderRepository,
  Page,
  PageRequest,
  PlacedOrder,
} from '../../contracts/ports.js';
import type { StorefrontService } from './dynamodb-entities.js';
import { retryOnConflict, withCursor } from './dynamodb-errors.js';

export class DynamoDbOrderRepository implements OrderRepository {
  constructor(private readonly service: StorefrontService) {}

  async place(order: OrderRecord, placement: OrderPlacement): Promise<PlacedOrder> {
    return retryOnConflict<PlacedOrder>(async () => {
      const earlier = await this.orderForKey(order.userId, order.idempotencyKey, placement.fingerprint);
      if (earlier) return { done: { order: earlier, replayed: true } };
      const cap = placement.perProductCap;
      // One transaction: the order, the idempotency claim, every stock decrement guarded by
      // `stock >= quantity`, and (with a cap) every line added to this account's tally of the
      // product in this window, guarded by the cap. Any failed guard cancels all of it, so stock
      // never goes below zero, no account passes its cap, and a rejected order leaves nothing.
      const result = await this.service.transaction
        .write(({ order: orders, idempotency, product, purchaseTally }) => [
          orders.create(order).commit(),
          idempotency
            .create({
              userId: order.userId,
              key: order.idempotencyKey,
              orderId: order.id,
              fingerprint: placement.fingerprint,
              createdAt: order.createdAt,
            })
            .commit(),
          ...order.items.map((line) =>
            product
              .patch({ id: line.productId })
              .subtract({ stock: line.quantity })
              .where(({ stock }, { gte }) => gte(stock, line.quantity))
              .commit(),
          ),
          ...(cap
            ? order.items.map((line) =>
                purchaseTally
                  .update({ userId: order.userId, productId: line.productId, window: cap.windowStart })
                  .add({ quantity: line.quantity })
                  // Kept a day past its window, then TTL deletes it.
                  .set({ expiresAtEpoch: Math.floor(Date.parse(cap.windowEnd) / 1000) + 86_400 })
                  .where(
                    ({ quantity }, { notExists, lte }) =>
                      `${notExists(quantity)} OR ${lte(quantity, cap.max - line.quantity)}`,
                  )
                  .commit(),
              )
            : []),
        ])
        .go();
      if (!result.canceled) return { done: { order, replayed: false } };
      const reasons = result.data.map((reason) => reason.code);
      if (reasons[1] === 'ConditionalCheckFailed') return { retry: true }; // the key was claimed meanwhile
      const lines = order.items.length;
      const shortIndex = reasons.slice(2, 2 + lines).indexOf('ConditionalCheckFailed');
      const overIndex = reasons.slice(2 + lines).indexOf('ConditionalCheckFailed');
      if (cap && overIndex >= 0 && shortIndex < 0) {
        const line = order.items[overIndex];
        const { data: tally } = await this.service.entities.purchaseTally
          .get({ userId: order.userId, productId: line?.productId ?? '', window: cap.windowStart })
          .go();
        const left = Math.max(0, cap.max - (tally?.quantity ?? 0));
        throw new TooManyRequestsError(
          `At most ${cap.max} of ${line?.name} per customer until ${cap.windowEnd}: ${line?.quantity} requested, ${left} left.`,
          cap.retryAfterSeconds,
        );
      }
      if (shortIndex >= 0) {
        const line = order.items[shortIndex];
        const { data: product } = await this.service.entities.product.get({ id: line?.productId ?? '' }).go();
        if (!product) throw new NotFoundError(`Product ${line?.productId} no longer exists.`);
        throw new ConflictError(
          `Not enough stock for ${product.name}: ${line?.quantity} requested, ${product.stock} available.`,
        );
      }
      return { retry: true };
    });
  }

  async get(userId: string, orderId: string): Promise<OrderRecord | null> {
    const { data } = await this.service.entities.order.get({ userId, id: orderId }).go();
    return data ?? null;
  }

  async listForUser(userId: string, request: PageRequest): Promise<Page<OrderRecord>> {
    const result = await withCursor(request.cursor, () =>
      this.service.entities.order.query
        .byUser({ userId })
        .go({ limit: request.limit, cursor: request.cursor ?? null, order: 'desc' }),
    );
    return { items: result.data, nextCursor: result.cursor };
  }

  /** The order this key already placed, when it placed this same request. */
  private async orderForKey(userId: string, key: string, fingerprint: string): Promise<OrderRecord | null> {
    const { data: claim } = await this.service.entities.idempotency.get({ userId, key }).go();
    if (!claim) return null;
    // A claim from before fingerprints were kept replays as it always did.
    if (claim.fingerprint !== undefined && claim.fingerprint !== fingerprint) {
      throw new IdempotencyKeyReusedError(
        `The Idempotency-Key ${key} was already used for a different order; use a new key for a new order.`,
      );
    }
    return this.get(userId, claim.orderId);
  }
}
