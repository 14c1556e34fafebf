import { LRUCache } from 'lru-cache';
import type { Cache } from '../../contracts/ports.js';

/** What each cache lookup came to, for /metrics. */
export interface CacheCounters {
  hit(): void;
  miss(): void;
}

/**
 * Growing-stage cache: an in-process LRU with a TTL per entry. Each API instance keeps its own,
 * so a write invalidates this instance at once and others within the TTL.
 */
export class MemoryCache implements Cache {
  readonly mode = 'memory';
  private readonly entries = new LRUCache<string, { value: unknown }>({ max: 5000 });

  constructor(private readonly counters: CacheCounters) {}

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

/** Startup-stage cache: none; every read goes to the table. */
export class NoCache implements Cache {
  readonly mode = 'none';
  async get<T>(): Promise<T | undefined> {
    return undefined;
  }
  async set(): Promise<void> {}
  async invalidate(): Promise<void> {}
}
