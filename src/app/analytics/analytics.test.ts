import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestStorefront, inParallel, type TestStorefront } from '../../../test/support/storefront.js';
import { SITE_WIDE } from './analytics-routes.js';

let shop: TestStorefront;

beforeAll(async () => {
  shop = await createTestStorefront();
});

describe('analytics events', () => {
  it('counts every one of many parallel events atomically', async () => {
    const product = await shop.product();
    const results = await inParallel(20, () =>
      shop.call('POST', '/api/events', { body: { type: 'view', productId: product.id } }),
    );
    expect(results.every((result) => result.status === 202)).toBe(true);
    await shop.call('POST', '/api/events', { body: { type: 'add_to_cart', productId: product.id } });
    expect(await shop.runtime.ports.table.counters.countsFor(product.id)).toEqual({
      view: 20,
      add_to_cart: 1,
    });
  });

  it('counts events without a product site-wide', async () => {
    expect((await shop.call('POST', '/api/events', { body: { type: 'search' } })).status).toBe(202);
    expect((await shop.runtime.ports.table.counters.countsFor(SITE_WIDE)).search).toBe(1);
  });

  it('answers 404 for an unknown product and counts nothing', async () => {
    const result = await shop.call('POST', '/api/events', { body: { type: 'view', productId: 'nope' } });
    expect(result.status).toBe(404);
    expect(await shop.runtime.ports.table.counters.countsFor('nope')).toEqual({});
  });

  it.each([
    ['an unknown type', { type: 'purchase-all' }, 'type'],
    ['a missing type', {}, 'type'],
    ['an unknown field', { type: 'view', extra: 1 }, ''],
  ])('rejects %s', async (_case, body, path) => {
    const result = await shop.call('POST', '/api/events', { body });
    expect(result.status).toBe(400);
    if (path) expect(result.json.errors[0].path).toBe(path);
  });
});

describe('anonymous events under abuse', () => {
  it('bounds the events one client sends per window with a 429, and counts the refused ones nowhere', async () => {
    const bounded = await createTestStorefront({ eventRateLimit: 3, trustedProxies: 1 });
    const product = await bounded.product();
    const from = (address: string) =>
      bounded.call('POST', '/api/events', {
        body: { type: 'view', productId: product.id },
        headers: { 'x-forwarded-for': address },
      });
    const statuses = [];
    for (let index = 0; index < 5; index++) statuses.push((await from('198.51.100.7')).status);
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
    const refused = await from('198.51.100.7');
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another client has its own allowance; the rest of the API is not held to the event bound.
    expect((await from('203.0.113.9')).status).toBe(202);
    expect(
      (await bounded.call('GET', '/api/products', { headers: { 'x-forwarded-for': '198.51.100.7' } })).status,
    ).toBe(200);
    expect((await bounded.runtime.ports.table.counters.countsFor(product.id)).view).toBe(4);
    bounded.runtime.close();
  });

  it('checks that the product exists through the catalog cache, not a table read per event', async () => {
    const cached = await createTestStorefront({ stage: 'growing' });
    const product = await cached.product();
    const reads = vi.spyOn(cached.runtime.ports.table.products, 'get');
    for (let index = 0; index < 5; index++) {
      const result = await cached.call('POST', '/api/events', {
        body: { type: 'view', productId: product.id },
      });
      expect(result.status).toBe(202);
    }
    expect(reads).toHaveBeenCalledTimes(1);
    expect(
      (await cached.call('POST', '/api/events', { body: { type: 'view', productId: 'nope' } })).status,
    ).toBe(404);
    cached.runtime.close();
  });
});
