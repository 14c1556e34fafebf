import { LRUCache } from 'lru-cache';
import type { Cache } from '../../contracts/ports.js';

/** What each cache lookup came to, for /metrics. */
export interface CacheCounters {
  hit(): void;
  miss(): void;
}

/**
 * Growing-stage cache: an in-process LRU with a TTL per entry. Each API instance keeps its own,
 * so a write invalidates this instance at once and others within the TTL. Bounded by entries
 * and by bytes: 5,000 listing pages of 100 products would otherwise hold 350 MB, and a caller
 * chooses the page size and the cursor (npm run bench, catalog scale).
 */
export class MemoryCache implements Cache {
  readonly mode = 'memory';
  private readonly entries: LRUCache<string, { value: unknown }>;

  constructor(
    private readonly counters: CacheCounters,
    /** What the entries may hold together, about: the oldest go first beyond it. */
    readonly maxBytes = DEFAULT_MAX_BYTES,
  ) {
    this.entries = new LRUCache<string, { value: unknown }>({
      max: 5000,
      maxSize: maxBytes,
      sizeCalculation: ({ value }) => approximateBytes(value),
    });
  }

  async get<T>(key: string): Promise<T | undefined> {
    const entry = this.entries.get(key);
    if (entry) this.counters.hit();
    else this.counters.miss();
    return entry?.value as T | undefined;
  }

  async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    this.entries.set(key, { value }, { ttl: ttlSeconds * 1000 });
  }

  async invalidate(prefix: string): Promise<void> {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }
}

/** 64 MB: a few thousand listing pages, or every product of a large catalog read one by one. */
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/**
 * About what an entry holds: the catalog caches a JSON body (a string, and the UTF-8 bytes the
 * route sends, kept beside it), so twice the body; anything else, twice its JSON.
 */
export function approximateBytes(value: unknown): number {
  const body = (value as { body?: unknown } | null)?.body;
  const text = typeof body === 'string' ? body : (JSON.stringify(value) ?? '');
  return 2 * text.length + 256;
}

/** Startup-stage cache: none; every read goes to the table. */
export class NoCache implements Cache {
  readonly mode = 'none';
  async get<T>(): Promise<T | undefined> {
    return undefined;
  }
  async set(): Promise<void> {}
  async invalidate(): Promise<void> {}
}
