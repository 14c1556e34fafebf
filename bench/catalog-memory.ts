// The growing stage's in-process search index and catalog cache, at catalog scale, measured in a
// process of their own (run with --expose-gc): the heap they hold once filled, after a full
// collection. Prints `BENCH <json>`.
import { representationOf } from '../src/app/catalog/catalog-service.js';
import { MemoryCache } from '../src/platform/adapters/memory-cache.js';
import { MemorySearchIndex } from '../src/platform/adapters/memory-search-index.js';
import { productAt } from './catalog-generator.js';

const PRODUCTS = Number(process.argv[2] ?? 100_000);
const collect = (globalThis as { gc?: () => void }).gc;
if (!collect) throw new Error('run with --expose-gc');
/** Heap and array buffers (the cached answers' bytes) in use, after two full collections. */
function used(): number {
  collect?.();
  collect?.();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const now = new Date().toISOString();

// The index: the catalog as the table returns it, and its lower-cased text, held by the index.
const beforeIndex = used();
const index = new MemorySearchIndex(async () =>
  Array.from({ length: PRODUCTS }, (_, i) => productAt(i, now)),
);
await index.search('oak', 20);
const indexBytes = used() - beforeIndex;
const searchMs: number[] = [];
for (let run = 0; run < 20; run++) {
  const started = performance.now();
  await index.search(run % 2 ? 'walnut lamp' : 'zircon', 20);
  searchMs.push(performance.now() - started);
}
searchMs.sort((a, b) => a - b);

// The cache filled to its entry bound with the largest answers it holds: listing pages of 100
// products (a key per category and cursor), each with the UTF-8 bytes the route sends, as the
// catalog service keeps them beside the entry.
const counters = { hit() {}, miss() {} };
const bytesOf = new WeakMap<object, Uint8Array>();
const utf8 = new TextEncoder();
async function fill(cache: MemoryCache, entries: number, pageSize: number): Promise<number> {
  const before = used();
  for (let key = 0; key < entries; key++) {
    const page = {
      items: Array.from({ length: pageSize }, (_, i) => productAt((key * pageSize + i) % PRODUCTS, now)),
      nextCursor: `cursor-${key}`,
    };
    const representation = representationOf(page, Date.now());
    bytesOf.set(representation, utf8.encode(representation.body));
    await cache.set(`catalog:list:${key}`, representation, 300);
  }
  return used() - before;
}
const listings = new MemoryCache(counters);
const listingBytes = await fill(listings, 5_000, 100);
const products = new MemoryCache(counters);
const productBytes = await fill(products, 5_000, 1);

console.log(
  `BENCH ${JSON.stringify({
    products: PRODUCTS,
    indexMb: mb(indexBytes),
    indexSearchMsMedian: Math.round((searchMs[10] ?? 0) * 100) / 100,
    cacheOfListingsMb: mb(listingBytes),
    cacheOfProductsMb: mb(productBytes),
    cacheBoundMb: mb(listings.maxBytes),
  })}`,
);
