import { beforeAll, describe, expect, it } from 'vitest';
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
