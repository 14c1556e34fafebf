import { describe, expect, it } from 'vitest';
import { fakePorts, productRecord } from '../../../test/support/fakes.js';
import {
  ConflictError,
  IdempotencyKeyReusedError,
  NotFoundError,
  TooManyRequestsError,
  ValidationError,
} from '../../contracts/errors.js';
import type { OrderLimits } from './orders-schemas.js';
import { OrdersService } from './orders-service.js';

const LIMITS: OrderLimits = {
  maxLineQuantity: 10,
  maxQuantity: 50,
  maxProductQuantityPerWindow: 0,
  windowHours: 24,
};
const USER = 'user-1';

function setUp(limits: Partial<OrderLimits> = {}) {
  const ports = fakePorts();
  const products = ports.table.products.rows;
  products.set('lamp', productRecord({ id: 'lamp', name: 'Desk lamp', priceCents: 2500, stock: 10 }));
  products.set('mug', productRecord({ id: 'mug', name: 'Mug', priceCents: 800, stock: 3 }));
  products.set('tea', productRecord({ id: 'tea', name: 'Tea', priceCents: 600, currency: 'EUR', stock: 5 }));
  return { ports, products, orders: new OrdersService(ports, { ...LIMITS, ...limits }) };
}

describe('placing an order', () => {
  it('merges the same product on two lines into one line with the summed quantity', async () => {
    const { orders, products } = setUp();
    const { order, replayed } = await orders.place(
      USER,
      {
        items: [
          { productId: 'lamp', quantity: 2 },
          { productId: 'mug', quantity: 1 },
          { productId: 'lamp', quantity: 3 },
        ],
      },
      'key-1',
    );
    expect(replayed).toBe(false);
    expect(order.items).toEqual([
      { productId: 'lamp', name: 'Desk lamp', quantity: 5, unitPriceCents: 2500, lineTotalCents: 12_500 },
      { productId: 'mug', name: 'Mug', quantity: 1, unitPriceCents: 800, lineTotalCents: 800 },
    ]);
    expect(order.totalCents).toBe(13_300);
    expect(order.createdAt).toBe('2026-01-01T00:00:00.000Z');
    expect(products.get('lamp')?.stock).toBe(5);
    expect(products.get('mug')?.stock).toBe(2);
  });

  it('caps the merged line, not each line as sent', async () => {
    const { orders, products } = setUp();
    const split = {
      items: [
        { productId: 'lamp', quantity: 6 },
        { productId: 'lamp', quantity: 5 },
      ],
    };
    await expect(orders.place(USER, split, 'key-1')).rejects.toThrow(ValidationError);
    await expect(orders.place(USER, split, 'key-1')).rejects.toThrow(/11 units of product lamp; at most 10/);
    expect(products.get('lamp')?.stock).toBe(10);
  });

  it('refuses an order that mixes currencies, and takes no stock', async () => {
    const { orders, products } = setUp();
    const mixed = {
      items: [
        { productId: 'lamp', quantity: 1 },
        { productId: 'tea', quantity: 1 },
      ],
    };
    const error = await orders.place(USER, mixed, 'key-1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toBe('All items of an order must share one currency.');
    expect(products.get('lamp')?.stock).toBe(10);
    expect(products.get('tea')?.stock).toBe(5);
  });

  it('rejects an order when stock is short, and takes none of the other lines', async () => {
    const { orders, products, ports } = setUp();
    const order = {
      items: [
        { productId: 'lamp', quantity: 2 },
        { productId: 'mug', quantity: 4 },
      ],
    };
    await expect(orders.place(USER, order, 'key-1')).rejects.toThrow(ConflictError);
    await expect(orders.place(USER, order, 'key-1')).rejects.toThrow(/Mug: 4 requested, 3 available/);
    expect(products.get('lamp')?.stock).toBe(10);
    expect(ports.table.orders.rows.size).toBe(0);
  });

  it('answers an unknown product with not found', async () => {
    const { orders } = setUp();
    await expect(
      orders.place(USER, { items: [{ productId: 'gone', quantity: 1 }] }, 'key-1'),
    ).rejects.toThrow(NotFoundError);
  });

  it('returns the first order for a replayed key, and refuses the key for other items', async () => {
    const { orders, products, ports } = setUp();
    await ports.table.accounts.createUser({
      id: USER,
      email: 'robin@example.com',
      name: 'Robin',
      role: 'customer',
      passwordHash: 'x',
      createdAt: '2026-01-01T00:00:00.000Z',
      emailVerifiedAt: '2026-01-01T00:00:00.000Z',
    });
    const first = await orders.place(USER, { items: [{ productId: 'mug', quantity: 1 }] }, 'key-1');
    const again = await orders.place(USER, { items: [{ productId: 'mug', quantity: 1 }] }, 'key-1');
    expect(again).toEqual({ order: first.order, replayed: true });
    expect(products.get('mug')?.stock).toBe(2);
    // One confirmation and one count for the two requests.
    expect(ports.jobs.jobs.map((job) => job.type)).toEqual(['send-order-confirmation']);
    expect(ports.metrics.counts.orders_placed).toBe(1);
    await expect(orders.place(USER, { items: [{ productId: 'mug', quantity: 2 }] }, 'key-1')).rejects.toThrow(
      IdempotencyKeyReusedError,
    );
  });

  it('queues a confirmation only once the customer proved the address', async () => {
    const { orders, ports } = setUp();
    const user = {
      id: USER,
      email: 'sam@example.com',
      name: 'Sam',
      role: 'customer' as const,
      passwordHash: 'x',
      createdAt: '2026-01-01T00:00:00.000Z',
    };
    await ports.table.accounts.createUser(user);
    await orders.place(USER, { items: [{ productId: 'lamp', quantity: 1 }] }, 'key-1');
    expect(ports.jobs.jobs).toEqual([]);
    await ports.table.accounts.markEmailVerified(USER, '2026-01-01T00:00:00.000Z');
    const { order } = await orders.place(USER, { items: [{ productId: 'lamp', quantity: 2 }] }, 'key-2');
    expect(ports.jobs.jobs).toEqual([
      {
        type: 'send-order-confirmation',
        orderId: order.id,
        email: 'sam@example.com',
        totalCents: 5000,
        currency: 'USD',
        itemCount: 2,
      },
    ]);
  });
});

describe('the per-account cap', () => {
  it('refuses units past the cap in the window, says when it ends, and allows them in the next', async () => {
    const { orders, ports } = setUp({ maxProductQuantityPerWindow: 4 });
    // 18:00 UTC: the day's window ends in six hours.
    ports.clock.advance(18 * 3_600_000);
    await orders.place(USER, { items: [{ productId: 'lamp', quantity: 3 }] }, 'key-1');
    const refused = await orders
      .place(USER, { items: [{ productId: 'lamp', quantity: 2 }] }, 'key-2')
      .catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(TooManyRequestsError);
    expect((refused as TooManyRequestsError).retryAfterSeconds).toBe(6 * 3600);
    expect((refused as TooManyRequestsError).message).toContain('until 2026-01-02T00:00:00.000Z');
    // Another account is counted apart; the same account may still buy what is left.
    await orders.place('user-2', { items: [{ productId: 'lamp', quantity: 2 }] }, 'key-3');
    await orders.place(USER, { items: [{ productId: 'lamp', quantity: 1 }] }, 'key-4');
    ports.clock.advance(6 * 3_600_000);
    await orders.place(USER, { items: [{ productId: 'lamp', quantity: 2 }] }, 'key-5');
    expect(ports.table.products.rows.get('lamp')?.stock).toBe(2);
  });

  it('refuses a single order over the cap before it reaches the table', async () => {
    const { orders, ports } = setUp({ maxProductQuantityPerWindow: 2 });
    await expect(
      orders.place(USER, { items: [{ productId: 'lamp', quantity: 3 }] }, 'key-1'),
    ).rejects.toThrow(/At most 2 of Desk lamp per customer/);
    expect(ports.table.orders.rows.size).toBe(0);
  });
});

describe('reading orders', () => {
  it("answers another user's order as not found", async () => {
    const { orders } = setUp();
    const { order } = await orders.place(USER, { items: [{ productId: 'lamp', quantity: 1 }] }, 'key-1');
    expect(await orders.get(USER, order.id)).toEqual(order);
    await expect(orders.get('someone-else', order.id)).rejects.toThrow(NotFoundError);
    expect((await orders.list('someone-else', { limit: 10 })).items).toEqual([]);
    expect((await orders.list(USER, { limit: 10 })).items).toEqual([order]);
  });
});

describe('confirming an order', () => {
  const verified = {
    id: USER,
    email: 'buyer@example.com',
    emailVerifiedAt: '2026-01-01T00:00:00.000Z',
  };

  /** Counts the service's reads of an account (each finds none). */
  function countUserReads(ports: ReturnType<typeof setUp>['ports']): () => number {
    let reads = 0;
    ports.table.accounts.getUser = async () => {
      reads += 1;
      return null;
    };
    return () => reads;
  }

  it('mails the authenticated buyer without reading the account again', async () => {
    const { orders, ports } = setUp();
    const reads = countUserReads(ports);
    await orders.place(USER, { items: [{ productId: 'mug', quantity: 1 }] }, 'key-1', verified);
    expect(reads()).toBe(0);
    expect(ports.jobs.jobs).toMatchObject([{ type: 'send-order-confirmation', email: 'buyer@example.com' }]);
  });

  it('reads the account when the caller has none, or another one', async () => {
    const { orders, ports } = setUp();
    const reads = countUserReads(ports);
    await orders.place(USER, { items: [{ productId: 'mug', quantity: 1 }] }, 'key-1');
    await orders.place(USER, { items: [{ productId: 'mug', quantity: 1 }] }, 'key-2', {
      ...verified,
      id: 'other',
    });
    expect(reads()).toBe(2);
    expect(ports.jobs.jobs).toEqual([]);
  });
});
