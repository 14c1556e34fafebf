import { describe, expect, it } from 'vitest';
import { representationOf } from '../../app/catalog/catalog-service.js';
import { approximateBytes, MemoryCache } from './memory-cache.js';

const counters = { hit() {}, miss() {} };
/** A listing page's representation of about `kb` KB of JSON. */
const page = (index: number, kb: number) =>
  representationOf({ items: [{ id: `p${index}`, description: 'x'.repeat(kb * 1024) }], nextCursor: null });

describe('the growing stage in-process cache', () => {
  it('holds at most its bytes, dropping the oldest entries first', async () => {
    const cache = new MemoryCache(counters, 1024 * 1024);
    // 100 pages of 50 KB: 5 MB asked for, against a 1 MB bound (each entry counts body and bytes).
    for (let index = 0; index < 100; index++) await cache.set(`list:${index}`, page(index, 50), 300);
    const kept: number[] = [];
    for (let index = 0; index < 100; index++) if (await cache.get(`list:${index}`)) kept.push(index);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThanOrEqual(10);
    expect(kept).toContain(99);
    expect(kept).not.toContain(0);
    const held = kept.length * approximateBytes(page(0, 50));
    expect(held).toBeLessThanOrEqual(1024 * 1024);
  });

  it('counts an entry as twice its JSON body, the string and the bytes the route sends', () => {
    const representation = page(1, 10);
    expect(approximateBytes(representation)).toBe(2 * representation.body.length + 256);
    expect(approximateBytes({ other: 'value' })).toBe(2 * JSON.stringify({ other: 'value' }).length + 256);
  });
});
