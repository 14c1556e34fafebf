import type { Redis } from 'ioredis';
import type { Cache, Logger } from '../../contracts/ports.js';
import type { CacheCounters } from './memory-cache.js';

/** Redis glob characters in a prefix are matched literally. */
function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, (char) => `\\${char}`);
}

/**
 * Scaling-stage cache: shared by every API task in the region (ElastiCache), so a write
 * invalidates all of them at once. Values are JSON with a TTL per key. Redis being away is a
 * miss, not an error: the table still answers.
 */
export class RedisCache implements Cache {
  readonly mode = 'redis';

  constructor(
    private readonly client: Redis,
    /** Keeps apps that share one Redis apart (the table name). */
    private readonly namespace: string,
    private readonly counters: CacheCounters,
    private readonly logger: Logger,
  ) {}

  private key(key: string): string {
    return `${this.namespace}:cache:${key}`;
  }

  async get<T>(key: string): Promise<T | undefined> {
    let text: string | null;
    try {
      text = await this.client.get(this.key(key));
    } catch (error) {
      this.logger.warn({ err: error, key }, 'cache read failed; reading through');
      text = null;
    }
    if (text === null) {
      this.counters.miss();
      return undefined;
    }
    this.counters.hit();
    return JSON.parse(text) as T;
  }

  async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    try {
      await this.client.set(this.key(key), JSON.stringify(value), 'EX', ttlSeconds);
    } catch (error) {
      this.logger.warn({ err: error, key }, 'cache write failed');
    }
  }

  /**
   * Deletes every key under the prefix (SCAN, never KEYS, so Redis keeps serving). A failure is
   * thrown: a write whose stale cache entries may survive must not look successful.
   */
  async invalidate(prefix: string): Promise<void> {
    const match = `${globEscape(this.key(prefix))}*`;
    let cursor = '0';
    do {
      const [next, keys] = await this.client.scan(cursor, 'MATCH', match, 'COUNT', 500);
      if (keys.length > 0) await this.client.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
}
