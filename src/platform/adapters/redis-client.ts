import { Redis } from 'ioredis';
import type { Logger } from '../../contracts/ports.js';

export interface RedisClientOptions {
  /** `redis://host:port` locally, `rediss://` (TLS) for ElastiCache with encryption in transit. */
  readonly url: string;
  /** ElastiCache's AUTH token, from Secrets Manager; unset for the local redis-server. */
  readonly authToken?: string | undefined;
  readonly logger: Logger;
}

/**
 * The Redis client for both worlds (ElastiCache on AWS, redis-server locally). Commands wait for
 * at most one reconnect and a second each, then fail: the cache then serves from the table and
 * the session check answers 503, rather than every request hanging while Redis is away.
 */
export function createRedisClient(options: RedisClientOptions): Redis {
  const client = new Redis(options.url, {
    ...(options.authToken ? { password: options.authToken } : {}),
    connectTimeout: 2_000,
    commandTimeout: 1_000,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  });
  let reported = false;
  client.on('error', (error) => {
    // ioredis reports every failed reconnect; one line per outage is enough.
    if (!reported) options.logger.warn({ err: error }, 'redis unreachable');
    reported = true;
  });
  client.on('ready', () => {
    reported = false;
  });
  return client;
}
