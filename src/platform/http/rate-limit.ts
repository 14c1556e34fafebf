import type { MiddlewareHandler } from 'hono';
import { MemoryStore, RedisStore, rateLimiter, type Store } from 'hono-rate-limiter';
import type { Redis } from 'ioredis';
import type { Logger } from '../../contracts/ports.js';
import { clientAddress } from './client-address.js';
import { problemResponse } from './problem.js';

export interface RateLimitOptions {
  /** Requests per client per window; 0 turns the limiter off. */
  readonly limit: number;
  readonly windowSeconds: number;
  /** Shared counters across tasks (scaling on); without it, each process counts on its own. */
  readonly redis?: { readonly client: Redis; readonly namespace: string } | undefined;
  readonly logger: Logger;
}

/** Paths a load balancer or a scraper polls: never limited. */
const UNLIMITED = new Set(['/api/health', '/api/health/live']);

/** The Redis store on ioredis: hono-rate-limiter runs its counting as Lua scripts, atomically. */
function redisStore(client: Redis, namespace: string): Store {
  return new RedisStore({
    prefix: `${namespace}:rate:`,
    client: {
      scriptLoad: (script) => client.script('LOAD', script) as Promise<string>,
      evalsha: <TArgs extends unknown[], TData = unknown>(sha: string, keys: string[], args: TArgs) =>
        client.evalsha(sha, keys.length, ...keys, ...(args as (string | number)[])) as Promise<TData>,
      decr: (key) => client.decr(key),
      del: (key) => client.del(key),
    },
  });
}

/**
 * A store that lets requests through when its backend (Redis) is away: an outage of the limiter
 * must not become an outage of the shop. WAF's rate-based rule still stands in front on AWS.
 */
function failOpen(store: Store, logger: Logger): Store {
  return {
    ...(store.init ? { init: (options) => store.init?.(options) } : {}),
    async increment(key) {
      try {
        return await store.increment(key);
      } catch (error) {
        logger.warn({ err: error }, 'rate limiter store unreachable; letting the request through');
        return { totalHits: 0 };
      }
    },
    async decrement(key) {
      await Promise.resolve(store.decrement(key)).catch(() => undefined);
    },
    async resetKey(key) {
      await Promise.resolve(store.resetKey(key)).catch(() => undefined);
    },
    localKeys: store.localKeys ?? false,
  };
}

/**
 * Per-client rate limiting for /api (hono-rate-limiter): over the limit, a 429 problem with
 * `retry-after` in seconds and the draft-7 `RateLimit` headers.
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler | undefined {
  if (options.limit <= 0) return undefined;
  const store = options.redis
    ? failOpen(redisStore(options.redis.client, options.redis.namespace), options.logger)
    : new MemoryStore();
  return rateLimiter({
    windowMs: options.windowSeconds * 1000,
    limit: options.limit,
    standardHeaders: 'draft-7',
    // The client as the edge middleware worked it out (see edgeTrust).
    keyGenerator: (c) => clientAddress(c),
    skip: (c) => UNLIMITED.has(c.req.path),
    store,
    handler: (c) => {
      const info = (c.var as unknown as { rateLimit?: { resetTime?: Date } }).rateLimit;
      const seconds = info?.resetTime
        ? Math.max(1, Math.ceil((info.resetTime.getTime() - Date.now()) / 1000))
        : options.windowSeconds;
      c.header('retry-after', String(seconds));
      return problemResponse(c, {
        type: 'about:blank',
        title: 'Too Many Requests',
        status: 429,
        detail: `More than ${options.limit} requests in ${options.windowSeconds} s from this client; try again in ${seconds} s.`,
      });
    },
  });
}
