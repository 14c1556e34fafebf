import type { Redis } from 'ioredis';
import { UnavailableError } from '../../contracts/errors.js';
import type { AttemptCount, LoginThrottle } from '../../contracts/ports.js';

/** One failure, atomically: a window closed by the caller's clock starts again at one. */
const RECORD_FAILURE = `
local last = tonumber(redis.call('HGET', KEYS[1], 'lastFailureAt') or '0')
if last < tonumber(ARGV[2]) then redis.call('DEL', KEYS[1]) end
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
redis.call('HSET', KEYS[1], 'lastFailureAt', ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return failures
`;

/**
 * Failed-login counts in Redis (scaling on), shared by every task: a hash per key holding the
 * count and the last failure, updated by one script and expiring with its window. The window is
 * also checked against the caller's clock, so a count never outlives it by Redis's timing.
 */
export class RedisLoginThrottle implements LoginThrottle {
  readonly mode = 'redis';

  constructor(
    private readonly client: Redis,
    private readonly namespace: string,
  ) {}

  private key(key: string): string {
    return `${this.namespace}:login:${key}`;
  }

  async get(key: string, _now: Date): Promise<AttemptCount | null> {
    const fields = await this.guard(() => this.client.hgetall(this.key(key)));
    const failures = Number(fields.failures);
    const lastFailureAt = Number(fields.lastFailureAt);
    return failures > 0 && Number.isFinite(lastFailureAt) ? { failures, lastFailureAt } : null;
  }

  async recordFailure(key: string, now: Date, windowSeconds: number): Promise<AttemptCount> {
    const at = now.getTime();
    const failures = await this.guard(
      () =>
        this.client.eval(
          RECORD_FAILURE,
          1,
          this.key(key),
          String(at),
          String(at - windowSeconds * 1000),
          String(windowSeconds),
        ) as Promise<number>,
    );
    return { failures: Number(failures), lastFailureAt: at };
  }

  async reset(key: string): Promise<void> {
    await this.guard(() => this.client.del(this.key(key)));
  }

  private async guard<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw new UnavailableError('The login throttle is unreachable; try again shortly.', { cause: error });
    }
  }
}
