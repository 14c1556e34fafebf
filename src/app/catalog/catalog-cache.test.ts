import { describe, expect, it } from 'vitest';
import type { Cache, Ports, ProductRecord } from '../../contracts/ports.js';
import { MemoryCache } from '../../platform/adapters/memory-cache.js';
import { CatalogService, INSTANCE_CACHE_SECONDS } from './catalog-service.js';

const product: ProductRecord = {
  id: 'p1',
  name: 'Lamp',
  description: '',
  category: 'lighting',
  priceCents: 1000,
  currency: 'USD',
  stock: 1,
  imageUrl: '',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('the catalog cache', () => {
  it('does not keep a read that raced a write: the next read sees the write', async () => {
    let stored = product;
    let releaseSlowRead: () => void = () => {};
    let slow = true;
    const products = {
      get: async () => {
        const seen = stored;
        if (slow) {
          slow = false;
          await new Promise<void>((resolve) => {
            releaseSlowRead = resolve;
          });
        }
        return seen;
      },
      update: async (_id: string, changes: Partial<ProductRecord>) => {
        stored = { ...stored, ...changes };
        return stored;
      },
    };
    const ports = {
      table: { products },
      cache: new MemoryCache({ hit() {}, miss() {} }),
      search: { engine: 'test', search: async () => [] },
      jobs: { mode: 'test', enqueue: async () => {} },
      clock: { now: () => new Date('2026-01-02T00:00:00.000Z') },
    } as unknown as Ports;
    const catalog = new CatalogService(ports);

    const racing = catalog.read('p1'); // reads the old price, then stalls before caching it
    await new Promise((resolve) => setTimeout(resolve, 10));
    await catalog.update('p1', { priceCents: 2000 });
    releaseSlowRead();
    expect((await racing).value.priceCents).toBe(1000);

    const next = await catalog.read('p1');
    expect(next).toMatchObject({ cache: 'miss', value: { priceCents: 2000 } });
    expect(await catalog.read('p1')).toMatchObject({ cache: 'hit', value: { priceCents: 2000 } });
  });
});

describe('how long the catalog keeps a read', () => {
  /** A cache that only notes the TTL each entry is stored with. */
  function recordingCache(mode: 'memory' | 'redis'): Cache & { ttls: number[] } {
    const ttls: number[] = [];
    return {
      mode,
      ttls,
      get: async () => undefined,
      set: async (_key, _value, ttlSeconds) => {
        ttls.push(ttlSeconds);
      },
      invalidate: async () => {},
    };
  }

  const catalogWith = (cache: Cache) =>
    new CatalogService({
      table: {
        products: { get: async () => product, list: async () => ({ items: [product], nextCursor: null }) },
      },
      cache,
    } as unknown as Ports);

  it('keeps it a few seconds where each API instance has its own cache, which another instance’s write cannot empty', async () => {
    const cache = recordingCache('memory');
    await catalogWith(cache).read('p1');
    await catalogWith(cache).list({ limit: 10 });
    expect(cache.ttls).toEqual([INSTANCE_CACHE_SECONDS, INSTANCE_CACHE_SECONDS]);
    expect(INSTANCE_CACHE_SECONDS).toBeLessThanOrEqual(5);
  });

  it('keeps it minutes in a cache every instance shares, which every write empties', async () => {
    const cache = recordingCache('redis');
    await catalogWith(cache).read('p1');
    expect(cache.ttls).toEqual([300]);
  });
});
