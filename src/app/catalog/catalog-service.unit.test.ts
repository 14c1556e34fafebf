import { describe, expect, it, vi } from 'vitest';
import { fakePorts } from '../../../test/support/fakes.js';
import { NotFoundError } from '../../contracts/errors.js';
import type { ProductRecord } from '../../contracts/ports.js';
import { CatalogService, INSTANCE_CACHE_SECONDS } from './catalog-service.js';

const LAMP = {
  name: 'Desk lamp',
  description: 'Warm light',
  category: 'home',
  priceCents: 2500,
  currency: 'USD' as const,
  stock: 4,
};

function setUp(cache: 'none' | 'memory' = 'memory') {
  const ports = fakePorts({ cache });
  return { ports, catalog: new CatalogService(ports) };
}

describe('the catalog service', () => {
  it('creates a product stamped by the clock, with its category picture, and announces the change', async () => {
    const { ports, catalog } = setUp();
    const product = await catalog.create(LAMP, '01JDZ6V0Q7R6W3Y8C1E5T2K9AB');
    expect(product).toEqual({
      ...LAMP,
      id: '01JDZ6V0Q7R6W3Y8C1E5T2K9AB',
      imageUrl: '/images/products/home.svg',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(await ports.table.products.get(product.id)).toEqual(product);
    expect(ports.jobs.jobs).toEqual([
      {
        type: 'product-changed',
        productId: product.id,
        change: 'created',
        changedAt: '2026-01-01T00:00:00.000Z',
      },
    ]);
    expect(ports.search.invalidations).toBe(1);
  });

  it('serves a second read from the cache, and the read after a write from the table', async () => {
    const { ports, catalog } = setUp();
    const product = await catalog.create(LAMP);
    expect((await catalog.read(product.id)).cache).toBe('miss');
    expect(await catalog.read(product.id)).toMatchObject({ value: product, cache: 'hit' });
    expect((await catalog.list({ limit: 10 })).cache).toBe('miss');
    expect((await catalog.list({ limit: 10 })).cache).toBe('hit');

    ports.clock.advance(1_000);
    const updated = await catalog.update(product.id, { priceCents: 1999 });
    expect(updated.updatedAt).toBe('2026-01-01T00:00:01.000Z');
    expect(await catalog.read(product.id)).toMatchObject({ value: updated, cache: 'miss' });
    const listed = await catalog.list({ limit: 10 });
    expect(listed).toMatchObject({ value: { items: [updated], nextCursor: null }, cache: 'miss' });
  });

  it('keeps the answer as bytes and ETag in the cache, so a hit neither serializes nor hashes', async () => {
    const { ports, catalog } = setUp();
    const product = await catalog.create(LAMP);
    const miss = await catalog.read(product.id);
    expect(await ports.cache.get(`catalog:product:${product.id}`)).toEqual({
      body: JSON.stringify(product),
      etag: miss.etag,
      readAt: expect.any(Number),
    });
    expect(new TextDecoder().decode(miss.bytes)).toBe(miss.body);
    expect(miss.etag).toMatch(/^"[\w-]{27}"$/);
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      const hit = await catalog.read(product.id);
      expect(hit).toMatchObject({ cache: 'hit', body: miss.body, etag: miss.etag });
      expect(stringify).not.toHaveBeenCalled();
    } finally {
      stringify.mockRestore();
    }
  });

  it('says how long an answer stays what the in-process cache gives: until a write or its time to live', async () => {
    const { catalog } = setUp();
    const product = await catalog.create(LAMP);
    const now = vi.spyOn(Date, 'now');
    try {
      now.mockReturnValue(1_000_000);
      const read = await catalog.read(product.id);
      const hit = await catalog.read(product.id);
      expect(read.current?.()).toBe(true);
      expect(hit.current?.()).toBe(true);
      now.mockReturnValue(1_000_000 + INSTANCE_CACHE_SECONDS * 1000 - 1);
      expect(hit.current?.()).toBe(true);
      now.mockReturnValue(1_000_000 + INSTANCE_CACHE_SECONDS * 1000);
      expect(hit.current?.()).toBe(false);
      now.mockReturnValue(1_000_000);
      await catalog.update(product.id, { priceCents: 1999 });
      expect(read.current?.()).toBe(false);
      expect((await catalog.read(product.id)).current?.()).toBe(true);
    } finally {
      now.mockRestore();
    }
    // Without an in-process cache, nothing says so.
    const uncached = setUp('none');
    const other = await uncached.catalog.create(LAMP);
    expect((await uncached.catalog.read(other.id)).current).toBeUndefined();
  });

  it('sends one table read for the requests that miss the same entry together', async () => {
    const { ports, catalog } = setUp();
    const product = await catalog.create(LAMP);
    const products = ports.table.products;
    const realGet = products.get.bind(products);
    let reads = 0;
    products.get = async (id: string) => {
      reads++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return realGet(id);
    };
    const answers = await Promise.all(Array.from({ length: 10 }, () => catalog.read(product.id)));
    expect(reads).toBe(1);
    expect(new Set(answers.map((answer) => answer.etag)).size).toBe(1);
    expect(answers.every((answer) => answer.value.id === product.id)).toBe(true);
    await expect(Promise.all([catalog.read('missing'), catalog.read('missing')])).rejects.toThrow(
      NotFoundError,
    );
  });

  it('gives the same bytes the same ETag and changed bytes another', async () => {
    const { catalog } = setUp('none');
    const product = await catalog.create(LAMP);
    const first = await catalog.read(product.id);
    expect((await catalog.read(product.id)).etag).toBe(first.etag);
    await catalog.update(product.id, { priceCents: 1 });
    const changed = await catalog.read(product.id);
    expect(changed.etag).not.toBe(first.etag);
    expect(changed.value.priceCents).toBe(1);
  });

  it("keeps an instance's reads no longer than its cache time", async () => {
    const { ports, catalog } = setUp();
    const product = await catalog.create(LAMP);
    await catalog.read(product.id);
    ports.clock.advance(INSTANCE_CACHE_SECONDS * 1000 - 1);
    expect((await catalog.read(product.id)).cache).toBe('hit');
    ports.clock.advance(1);
    expect((await catalog.read(product.id)).cache).toBe('miss');
  });

  it('does not cache what a read saw when a write landed while it ran', async () => {
    const { ports, catalog } = setUp();
    const product = await catalog.create(LAMP);
    const products = ports.table.products;
    const realGet = products.get.bind(products);
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered = () => {};
    const started = new Promise<void>((resolve) => {
      entered = resolve;
    });
    // The first read loads the old product, then stalls until the write is done.
    products.get = async (id: string) => {
      products.get = realGet;
      const seen = await realGet(id);
      entered();
      await gate;
      return seen;
    };
    const slowRead = catalog.read(product.id);
    await started;
    await catalog.update(product.id, { priceCents: 1 });
    release();
    // The slow read answers what it saw, but the next read must not get it from the cache.
    expect((await slowRead).value.priceCents).toBe(LAMP.priceCents);
    expect(await catalog.read(product.id)).toMatchObject({ value: { priceCents: 1 }, cache: 'miss' });
  });

  it('reads straight from the table at a stage without a cache', async () => {
    const { catalog } = setUp('none');
    const product = await catalog.create(LAMP);
    expect(await catalog.read(product.id)).toMatchObject({ value: product, cache: null });
    expect(await catalog.read(product.id)).toMatchObject({ value: product, cache: null });
  });

  it('answers an unknown product with not found, and announces no change for it', async () => {
    const { ports, catalog } = setUp();
    await expect(catalog.get('missing')).rejects.toThrow(NotFoundError);
    await expect(catalog.update('missing', { priceCents: 1 })).rejects.toThrow(NotFoundError);
    await expect(catalog.delete('missing')).rejects.toThrow(NotFoundError);
    expect(ports.jobs.jobs).toEqual([]);
  });

  it('lists newest first within a category, a page at a time', async () => {
    const { ports, catalog } = setUp('none');
    const made: ProductRecord[] = [];
    for (const name of ['First', 'Second', 'Third']) {
      made.push(await catalog.create({ ...LAMP, name }));
      ports.clock.advance(1_000);
    }
    await catalog.create({ ...LAMP, name: 'Elsewhere', category: 'garden' });
    const first = (await catalog.list({ category: 'home', limit: 2 })).value;
    expect(first.items.map((product) => product.name)).toEqual(['Third', 'Second']);
    const rest = (await catalog.list({ category: 'home', limit: 2, cursor: first.nextCursor ?? '' })).value;
    expect(rest).toEqual({ items: [made[0]], nextCursor: null });
  });
});
