import { beforeAll, describe, expect, it } from 'vitest';
import { createTestStorefront, type TestStorefront } from '../../../test/support/storefront.js';

let shop: TestStorefront;
let admin: string;
let customer: string;

beforeAll(async () => {
  shop = await createTestStorefront();
  admin = await shop.adminToken();
  customer = (await shop.customer()).token;
});

const newProduct = { name: 'Oak shelf', category: 'furniture', priceCents: 4500, stock: 3 };

describe('reading the catalog', () => {
  it('lists newest first in pages that follow the cursor to the end', async () => {
    for (let index = 0; index < 5; index++)
      await shop.product({ category: 'paging', name: `Page item ${index}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/api/products?category=paging&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await shop.call('GET', query);
      expect(page.status).toBe(200);
      seen.push(...page.json.items.map((item: { name: string }) => item.name));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Page item 4', 'Page item 3', 'Page item 2', 'Page item 1', 'Page item 0']);
  });

  it('filters by category', async () => {
    await shop.product({ category: 'only-this' });
    const result = await shop.call('GET', '/api/products?category=only-this');
    expect(result.json.items).toHaveLength(1);
    expect(result.json.items[0].category).toBe('only-this');
  });

  it('reads one product and answers 404 for an unknown id', async () => {
    const product = await shop.product();
    expect((await shop.call('GET', `/api/products/${product.id}`)).json).toEqual(product);
    const missing = await shop.call('GET', '/api/products/01JH6Z8Q3M6W1T3YQ4V8B2C9DE');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
    ['category=Not%20A%20Slug', 'category'],
    ['cursor=garbage', 'cursor'],
  ])('rejects ?%s with a 400 on that field', async (query, path) => {
    const result = await shop.call('GET', `/api/products?${query}`);
    expect(result.status).toBe(400);
    expect(result.json.errors[0].path).toBe(path);
  });
});

describe('editing the catalog', () => {
  it('lets an admin create, change and delete a product', async () => {
    const created = await shop.call('POST', '/api/products', { token: admin, body: newProduct });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      ...newProduct,
      currency: 'USD',
      description: '',
      // No picture is bundled for furniture: the generic one, not a URL that 404s.
      imageUrl: '/images/products/placeholder.svg',
    });
    const id = created.json.id;
    const changed = await shop.call('PATCH', `/api/products/${id}`, {
      token: admin,
      body: { priceCents: 3900, stock: 9 },
    });
    expect(changed.status).toBe(200);
    expect(changed.json).toMatchObject({ name: 'Oak shelf', priceCents: 3900, stock: 9 });
    expect(changed.json.updatedAt >= created.json.updatedAt).toBe(true);
    expect(
      (await shop.call('GET', '/api/search?q=oak%20SHELF')).json.items.map((item: { id: string }) => item.id),
    ).toContain(id);
    expect((await shop.call('DELETE', `/api/products/${id}`, { token: admin })).status).toBe(204);
    expect((await shop.call('GET', `/api/products/${id}`)).status).toBe(404);
    expect((await shop.call('DELETE', `/api/products/${id}`, { token: admin })).status).toBe(404);
    expect(
      (await shop.call('PATCH', `/api/products/${id}`, { token: admin, body: { stock: 1 } })).status,
    ).toBe(404);
  });

  it('refuses writes from customers (403) and anonymous callers (401)', async () => {
    const product = await shop.product();
    expect((await shop.call('POST', '/api/products', { token: customer, body: newProduct })).status).toBe(
      403,
    );
    expect((await shop.call('POST', '/api/products', { body: newProduct })).status).toBe(401);
    expect(
      (await shop.call('PATCH', `/api/products/${product.id}`, { token: customer, body: { stock: 0 } }))
        .status,
    ).toBe(403);
    expect((await shop.call('DELETE', `/api/products/${product.id}`)).status).toBe(401);
    expect((await shop.call('GET', `/api/products/${product.id}`)).json.stock).toBe(product.stock);
  });

  it.each([
    ['a negative price', { ...newProduct, priceCents: -1 }, 'priceCents'],
    ['a fractional price', { ...newProduct, priceCents: 9.99 }, 'priceCents'],
    ['negative stock', { ...newProduct, stock: -5 }, 'stock'],
    ['an absurd stock', { ...newProduct, stock: 1e12 }, 'stock'],
    ['an unknown currency', { ...newProduct, currency: 'XYZ' }, 'currency'],
    ['a missing name', { category: 'x', priceCents: 1 }, 'name'],
    ['an unknown field', { ...newProduct, id: 'mine' }, ''],
  ])('rejects a product with %s', async (_case, body, path) => {
    const result = await shop.call('POST', '/api/products', { token: admin, body });
    expect(result.status).toBe(400);
    if (path) expect(result.json.errors.map((error: { path: string }) => error.path)).toContain(path);
  });

  it('rejects an empty change', async () => {
    const product = await shop.product();
    const result = await shop.call('PATCH', `/api/products/${product.id}`, { token: admin, body: {} });
    expect(result.status).toBe(400);
  });
});
