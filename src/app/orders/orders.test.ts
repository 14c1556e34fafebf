import { beforeAll, describe, expect, it } from 'vitest';
import { createTestStorefront, inParallel, type TestStorefront } from '../../../test/support/storefront.js';

let shop: TestStorefront;
let buyer: { token: string; id: string };

beforeAll(async () => {
  shop = await createTestStorefront();
  buyer = await shop.customer();
});

const order = (token: string, key: string, items: unknown) =>
  shop.call('POST', '/api/orders', { token, body: { items }, headers: { 'idempotency-key': key } });

describe('placing orders', () => {
  it('prices the order from the catalog and takes the stock', async () => {
    const product = await shop.product({ priceCents: 1999, stock: 7 });
    const result = await order(buyer.token, 'price-1', [{ productId: product.id, quantity: 3 }]);
    expect(result.status).toBe(201);
    expect(result.json).toMatchObject({
      userId: buyer.id,
      status: 'placed',
      totalCents: 5997,
      currency: 'USD',
      items: [{ productId: product.id, quantity: 3, unitPriceCents: 1999, lineTotalCents: 5997 }],
    });
    expect((await shop.call('GET', `/api/products/${product.id}`)).json.stock).toBe(4);
  });

  it('refuses a price sent by the client', async () => {
    const product = await shop.product();
    const result = await order(buyer.token, 'price-2', [
      { productId: product.id, quantity: 1, priceCents: 1 },
    ]);
    expect(result.status).toBe(400);
    expect(result.json.errors[0].path).toBe('items.0');
  });

  it('merges repeated lines of one product', async () => {
    const product = await shop.product({ stock: 5 });
    const result = await order(buyer.token, 'merge-1', [
      { productId: product.id, quantity: 2 },
      { productId: product.id, quantity: 1 },
    ]);
    expect(result.status).toBe(201);
    expect(result.json.items).toHaveLength(1);
    expect(result.json.items[0].quantity).toBe(3);
  });

  it('rejects an order when stock is short and writes nothing', async () => {
    const plenty = await shop.product({ stock: 10 });
    const scarce = await shop.product({ stock: 1, name: 'Scarce lamp' });
    const result = await order(buyer.token, 'short-1', [
      { productId: plenty.id, quantity: 2 },
      { productId: scarce.id, quantity: 2 },
    ]);
    expect(result.status).toBe(409);
    expect(result.headers.get('content-type')).toContain('application/problem+json');
    expect(result.json.detail).toContain('Scarce lamp');
    expect((await shop.call('GET', `/api/products/${plenty.id}`)).json.stock).toBe(10);
    expect((await shop.call('GET', `/api/products/${scarce.id}`)).json.stock).toBe(1);
    // The key was not consumed: the same key can place a valid order afterwards.
    const retry = await order(buyer.token, 'short-1', [{ productId: plenty.id, quantity: 1 }]);
    expect(retry.status).toBe(201);
  });

  it('answers 404 for an unknown product', async () => {
    const result = await order(buyer.token, 'unknown-1', [
      { productId: '01JH6Z8Q3M6W1T3YQ4V8B2C9DE', quantity: 1 },
    ]);
    expect(result.status).toBe(404);
  });

  it.each([
    ['zero quantity', [{ productId: 'x', quantity: 0 }], 'items.0.quantity'],
    ['negative quantity', [{ productId: 'x', quantity: -2 }], 'items.0.quantity'],
    ['fractional quantity', [{ productId: 'x', quantity: 1.5 }], 'items.0.quantity'],
    ['absurd quantity', [{ productId: 'x', quantity: 1e9 }], 'items.0.quantity'],
    ['no items', [], 'items'],
    ['items of the wrong type', 'three', 'items'],
  ])('rejects %s with a 400 naming the field', async (_name, items, path) => {
    const result = await order(buyer.token, 'bad-input', items);
    expect(result.status).toBe(400);
    expect(result.json.errors.map((error: { path: string }) => error.path)).toContain(path);
  });

  it('requires an idempotency key and a signed-in user', async () => {
    const product = await shop.product();
    const body = { items: [{ productId: product.id, quantity: 1 }] };
    const noKey = await shop.call('POST', '/api/orders', { token: buyer.token, body });
    expect(noKey.status).toBe(400);
    expect(noKey.json.errors[0].path).toBe('idempotency-key');
    const anonymous = await shop.call('POST', '/api/orders', {
      body,
      headers: { 'idempotency-key': 'anon' },
    });
    expect(anonymous.status).toBe(401);
  });
});

describe('idempotency', () => {
  it('returns the same order for a retried key', async () => {
    const product = await shop.product({ stock: 5 });
    const first = await order(buyer.token, 'retry-1', [{ productId: product.id, quantity: 1 }]);
    const second = await order(buyer.token, 'retry-1', [{ productId: product.id, quantity: 1 }]);
    expect(second.status).toBe(201);
    expect(second.json.id).toBe(first.json.id);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect((await shop.call('GET', `/api/products/${product.id}`)).json.stock).toBe(4);
  });

  it('refuses a key reused with a different order with a 422 problem and takes no stock', async () => {
    const product = await shop.product({ stock: 10 });
    const other = await shop.product({ stock: 10 });
    const first = await order(buyer.token, 'reuse-1', [{ productId: product.id, quantity: 1 }]);
    expect(first.status).toBe(201);
    for (const items of [
      [{ productId: product.id, quantity: 2 }],
      [{ productId: other.id, quantity: 1 }],
      [
        { productId: product.id, quantity: 1 },
        { productId: other.id, quantity: 1 },
      ],
    ]) {
      const reused = await order(buyer.token, 'reuse-1', items);
      expect(reused.status, JSON.stringify(items)).toBe(422);
      expect(reused.headers.get('content-type')).toContain('application/problem+json');
      expect(reused.json.detail).toContain('reuse-1');
    }
    expect((await shop.call('GET', `/api/products/${product.id}`)).json.stock).toBe(9);
    expect((await shop.call('GET', `/api/products/${other.id}`)).json.stock).toBe(10);
  });

  it('treats the same order written differently (split lines, another line order) as the same request', async () => {
    const a = await shop.product({ stock: 10 });
    const b = await shop.product({ stock: 10 });
    const first = await order(buyer.token, 'same-1', [
      { productId: a.id, quantity: 2 },
      { productId: b.id, quantity: 1 },
    ]);
    const again = await order(buyer.token, 'same-1', [
      { productId: b.id, quantity: 1 },
      { productId: a.id, quantity: 1 },
      { productId: a.id, quantity: 1 },
    ]);
    expect(again.status).toBe(201);
    expect(again.json.id).toBe(first.json.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('makes one order from ten parallel requests with the same key', async () => {
    const product = await shop.product({ stock: 50 });
    const results = await inParallel(10, () =>
      order(buyer.token, 'parallel-key', [{ productId: product.id, quantity: 2 }]),
    );
    expect(results.map((result) => result.status)).toEqual(Array(10).fill(201));
    expect(new Set(results.map((result) => result.json.id)).size).toBe(1);
    expect((await shop.call('GET', `/api/products/${product.id}`)).json.stock).toBe(48);
  });

  it('scopes keys to the user', async () => {
    const product = await shop.product({ stock: 5 });
    const other = await shop.customer();
    const mine = await order(buyer.token, 'shared-key', [{ productId: product.id, quantity: 1 }]);
    const theirs = await order(other.token, 'shared-key', [{ productId: product.id, quantity: 1 }]);
    expect(theirs.json.id).not.toBe(mine.json.id);
    expect(theirs.json.userId).toBe(other.id);
  });
});

describe('purchase limits', () => {
  // The defaults: 10 units a line, 50 an order, 10 of one product per account per 24 h.
  it('caps the quantity of one line, and the API description says how far', async () => {
    const product = await shop.product({ stock: 100 });
    const result = await order(buyer.token, 'cap-line', [{ productId: product.id, quantity: 11 }]);
    expect(result.status).toBe(400);
    expect(result.json.errors.map((error: { path: string }) => error.path)).toContain('items.0.quantity');
    const { json: doc } = await shop.call('GET', '/api/openapi.json');
    const schema = doc.components.schemas.OrderCreate;
    expect(schema.properties.items.items.properties.quantity.maximum).toBe(10);
    expect(schema.properties.items.description).toMatch(/50 units/);
    expect((await shop.call('GET', `/api/products/${product.id}`)).json.stock).toBe(100);
  });

  it('counts repeated lines of one product against the line cap', async () => {
    const product = await shop.product({ stock: 100 });
    const result = await order(buyer.token, 'cap-merged', [
      { productId: product.id, quantity: 6 },
      { productId: product.id, quantity: 5 },
    ]);
    expect(result.status).toBe(400);
    expect(result.json.errors[0].path).toBe('items');
    expect(result.json.detail).toContain('11');
  });

  it('caps the units of one order', async () => {
    const products = await inParallel(6, () => shop.product({ stock: 100 }));
    const result = await order(
      buyer.token,
      'cap-order',
      products.map((product) => ({ productId: product.id, quantity: 9 })),
    );
    expect(result.status).toBe(400);
    expect(result.json.errors[0].path).toBe('items');
    expect(result.json.errors[0].message).toContain('50');
  });

  it('caps what one account buys of a product per window, across orders, with retry-after', async () => {
    let now = new Date('2026-03-01T10:00:00.000Z');
    const timed = await createTestStorefront({ clock: { now: () => now } });
    const hoarder = await timed.customer();
    const product = await timed.product({ stock: 100 });
    const buy = (token: string, key: string, quantity: number) =>
      timed.call('POST', '/api/orders', {
        token,
        body: { items: [{ productId: product.id, quantity }] },
        headers: { 'idempotency-key': key },
      });
    expect((await buy(hoarder.token, 'w-1', 6)).status).toBe(201);
    expect((await buy(hoarder.token, 'w-2', 4)).status).toBe(201);
    const refused = await buy(hoarder.token, 'w-3', 1);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.json.detail).toContain(product.name);
    // The window is the UTC day: the next one starts in 14 hours.
    expect(refused.headers.get('retry-after')).toBe(String(14 * 3600));
    expect((await timed.call('GET', `/api/products/${product.id}`)).json.stock).toBe(90);
    // Another account is not held back, and the refused key was not consumed.
    expect((await buy((await timed.customer()).token, 'w-1', 10)).status).toBe(201);
    now = new Date('2026-03-02T00:00:01.000Z');
    expect((await buy(hoarder.token, 'w-3', 1)).status).toBe(201);
    expect((await timed.call('GET', `/api/products/${product.id}`)).json.stock).toBe(79);
    timed.runtime.close();
  });

  it('lets parallel orders of one account past the window cap no further than the cap', async () => {
    const racer = await shop.customer();
    const product = await shop.product({ stock: 100 });
    const results = await inParallel(8, (index) =>
      order(racer.token, `cap-race-${index}`, [{ productId: product.id, quantity: 2 }]),
    );
    const statuses = results.map((result) => result.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(3);
    expect((await shop.call('GET', `/api/products/${product.id}`)).json.stock).toBe(90);
  });
});

describe('stock under concurrency', () => {
  it('lets exactly five of twenty parallel orders through for a stock of five', async () => {
    const product = await shop.product({ stock: 5 });
    const buyers = await inParallel(4, () => shop.customer());
    const results = await inParallel(20, (index) =>
      order(buyers[index % 4]?.token ?? '', `race-${index}`, [{ productId: product.id, quantity: 1 }]),
    );
    const statuses = results.map((result) => result.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(5);
    expect(statuses.filter((status) => status === 409)).toHaveLength(15);
    expect((await shop.call('GET', `/api/products/${product.id}`)).json.stock).toBe(0);
  });
});

describe('reading orders', () => {
  it('lists only my orders, newest first, with paging', async () => {
    const me = await shop.customer();
    const other = await shop.customer();
    const product = await shop.product({ stock: 20 });
    for (const key of ['a', 'b', 'c'])
      await order(me.token, `list-${key}`, [{ productId: product.id, quantity: 1 }]);
    await order(other.token, 'list-other', [{ productId: product.id, quantity: 1 }]);
    const firstPage = await shop.call('GET', '/api/orders?limit=2', { token: me.token });
    expect(firstPage.json.items).toHaveLength(2);
    expect(firstPage.json.items.map((item: { idempotencyKey: string }) => item.idempotencyKey)).toEqual([
      'list-c',
      'list-b',
    ]);
    const secondPage = await shop.call(
      'GET',
      `/api/orders?limit=2&cursor=${encodeURIComponent(firstPage.json.nextCursor)}`,
      {
        token: me.token,
      },
    );
    expect(secondPage.json.items.map((item: { idempotencyKey: string }) => item.idempotencyKey)).toEqual([
      'list-a',
    ]);
    expect(secondPage.json.nextCursor).toBeNull();
  });

  it("answers 404 for another user's order and for an unknown one", async () => {
    const owner = await shop.customer();
    const snoop = await shop.customer();
    const product = await shop.product();
    const placed = await order(owner.token, 'private', [{ productId: product.id, quantity: 1 }]);
    expect((await shop.call('GET', `/api/orders/${placed.json.id}`, { token: owner.token })).status).toBe(
      200,
    );
    expect((await shop.call('GET', `/api/orders/${placed.json.id}`, { token: snoop.token })).status).toBe(
      404,
    );
    expect((await shop.call('GET', '/api/orders/nope', { token: owner.token })).status).toBe(404);
    expect((await shop.call('GET', `/api/orders/${placed.json.id}`)).status).toBe(401);
  });

  it('rejects a forged cursor with a 400 on cursor', async () => {
    // The second decodes to a key DynamoDB itself refuses (found by the API fuzz suite).
    for (const cursor of ['not-a-cursor', '𑽍⥑']) {
      const result = await shop.call('GET', `/api/orders?cursor=${encodeURIComponent(cursor)}`, {
        token: buyer.token,
      });
      expect(result.status, cursor).toBe(400);
      expect(result.json.errors[0].path).toBe('cursor');
      const products = await shop.call('GET', `/api/products?cursor=${encodeURIComponent(cursor)}`);
      expect(products.status, cursor).toBe(400);
      expect(products.json.errors[0].path).toBe('cursor');
    }
  });
});
