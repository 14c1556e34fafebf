import { createHash } from 'node:crypto';
import { ulid } from 'ulid';
import { NotFoundError, TooManyRequestsError, ValidationError } from '../../contracts/errors.js';
import type {
  OrderRecord,
  Page,
  PlacedOrder,
  Ports,
  ProductRecord,
  UserRecord,
} from '../../contracts/ports.js';
import type { OrderCreate, OrderLimits } from './orders-schemas.js';

/** Placing and reading orders. Prices come from the catalog, never from the client. */
export class OrdersService {
  constructor(
    private readonly ports: Ports,
    readonly limits: OrderLimits,
  ) {}

  /**
   * `buyer`: the account the request was authenticated as, when the caller has it: the
   * confirmation then needs no second read of it (one round trip in four of an order's, npm run
   * bench).
   */
  async place(
    userId: string,
    input: OrderCreate,
    idempotencyKey: string,
    buyer?: Pick<UserRecord, 'id' | 'email' | 'emailVerifiedAt'>,
  ): Promise<PlacedOrder> {
    const lines = mergeLines(input.items);
    this.checkMergedLines(lines);
    const products = await Promise.all(lines.map((line) => this.ports.table.products.get(line.productId)));
    const found = products.map((product, index) => {
      if (!product) throw new NotFoundError(`No product with id ${lines[index]?.productId}.`);
      return product;
    });
    const currencies = new Set(found.map((product) => product.currency));
    if (currencies.size > 1) {
      throw new ValidationError('All items of an order must share one currency.', [
        { path: 'items', message: `mixes ${[...currencies].join(', ')}` },
      ]);
    }
    const items = lines.map((line, index) => priceLine(found[index] as ProductRecord, line.quantity));
    const order: OrderRecord = {
      id: ulid(),
      userId,
      status: 'placed',
      items,
      totalCents: items.reduce((sum, item) => sum + item.lineTotalCents, 0),
      currency: found[0]?.currency ?? 'USD',
      idempotencyKey,
      createdAt: this.ports.clock.now().toISOString(),
    };
    const perProductCap = this.perProductCap();
    const overCap = perProductCap && items.find((line) => line.quantity > perProductCap.max);
    if (perProductCap && overCap) {
      throw new TooManyRequestsError(
        `At most ${perProductCap.max} of ${overCap.name} per customer until ${perProductCap.windowEnd}: ${overCap.quantity} requested.`,
        perProductCap.retryAfterSeconds,
      );
    }
    const placed = await this.ports.table.orders.place(order, {
      fingerprint: fingerprintOf(lines),
      perProductCap,
    });
    if (!placed.replayed) {
      this.ports.metrics.count('orders_placed');
      await this.confirm(placed.order, buyer?.id === userId ? buyer : undefined);
    }
    return placed;
  }

  /** The schema caps each line as sent; the same product on several lines is capped here, summed. */
  private checkMergedLines(lines: readonly { productId: string; quantity: number }[]): void {
    const over = lines.find((line) => line.quantity > this.limits.maxLineQuantity);
    if (!over) return;
    throw new ValidationError(
      `The order asks for ${over.quantity} units of product ${over.productId}; at most ${this.limits.maxLineQuantity} per product.`,
      [
        {
          path: 'items',
          message: `product ${over.productId}: ${over.quantity} units in all, at most ${this.limits.maxLineQuantity}`,
        },
      ],
    );
  }

  /**
   * The window this order counts in: fixed windows from the epoch, so a day-long window is the UTC
   * day. A fixed window lets an account buy up to twice the cap across a window's edge; a sliding
   * one would need every purchase kept.
   */
  private perProductCap() {
    const max = this.limits.maxProductQuantityPerWindow;
    if (max <= 0) return undefined;
    const length = this.limits.windowHours * 3_600_000;
    const now = this.ports.clock.now().getTime();
    const start = Math.floor(now / length) * length;
    return {
      max,
      windowStart: new Date(start).toISOString(),
      windowEnd: new Date(start + length).toISOString(),
      retryAfterSeconds: Math.max(1, Math.ceil((start + length - now) / 1000)),
    };
  }

  /**
   * Queues the confirmation e-mail once the customer proved the address (until then the order
   * is in GET /api/orders, and the address gets no mail it did not ask for); the order stands
   * even if the customer is gone.
   */
  private async confirm(
    order: OrderRecord,
    buyer: Pick<UserRecord, 'email' | 'emailVerifiedAt'> | undefined,
  ): Promise<void> {
    const user = buyer ?? (await this.ports.table.accounts.getUser(order.userId));
    if (!user?.emailVerifiedAt) return;
    await this.ports.jobs.enqueue({
      type: 'send-order-confirmation',
      orderId: order.id,
      email: user.email,
      totalCents: order.totalCents,
      currency: order.currency,
      itemCount: order.items.reduce((sum, item) => sum + item.quantity, 0),
    });
  }

  async get(userId: string, orderId: string): Promise<OrderRecord> {
    const order = await this.ports.table.orders.get(userId, orderId);
    // Another user's order is "not found", not "forbidden": its existence is not ours to reveal.
    if (!order) throw new NotFoundError(`No order with id ${orderId}.`);
    return order;
  }

  list(userId: string, query: { limit: number; cursor?: string | undefined }): Promise<Page<OrderRecord>> {
    return this.ports.table.orders.listForUser(userId, query);
  }
}

/** One line per product: the same product twice becomes one line with the summed quantity. */
function mergeLines(items: OrderCreate['items']): { productId: string; quantity: number }[] {
  const quantities = new Map<string, number>();
  for (const item of items)
    quantities.set(item.productId, (quantities.get(item.productId) ?? 0) + item.quantity);
  return [...quantities].map(([productId, quantity]) => ({ productId, quantity }));
}

/**
 * What an idempotency key is bound to: the merged lines sorted by product, so the same order
 * written with split or reordered lines is the same request, and any other order is not.
 */
function fingerprintOf(lines: readonly { productId: string; quantity: number }[]): string {
  const canonical = [...lines]
    .sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0))
    .map((line) => [line.productId, line.quantity]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

function priceLine(product: ProductRecord, quantity: number): OrderRecord['items'][number] {
  return {
    productId: product.id,
    name: product.name,
    quantity,
    unitPriceCents: product.priceCents,
    lineTotalCents: product.priceCents * quantity,
  };
}
