import type { AttemptCount, LoginThrottle } from '../../contracts/ports.js';
import type { StorefrontService } from './dynamodb-entities.js';
import { isConditionalFailure } from './dynamodb-products.js';

/**
 * Failed-login counts in the table (startup and growing): one item per key, counted with an
 * atomic ADD while the window is open and started afresh by a conditional put once it has
 * closed, so concurrent failures from several Lambda environments are all counted. The TTL
 * attribute removes old items; reads check the window themselves, since TTL deletes lazily.
 */
export class DynamoDbLoginThrottle implements LoginThrottle {
  readonly mode = 'dynamodb';

  constructor(private readonly service: StorefrontService) {}

  async get(key: string, _now: Date): Promise<AttemptCount | null> {
    const { data } = await this.service.entities.loginAttempts.get({ key }).go({ consistent: true });
    if (!data?.failures || data.lastFailureAt === undefined) return null;
    return { failures: data.failures, lastFailureAt: data.lastFailureAt };
  }

  async recordFailure(key: string, now: Date, windowSeconds: number): Promise<AttemptCount> {
    const at = now.getTime();
    const cutoff = at - windowSeconds * 1000;
    const expiresAtEpoch = Math.ceil(at / 1000) + windowSeconds;
    const attempts = this.service.entities.loginAttempts;
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        // An open window: one more failure.
        const { data } = await attempts
          .patch({ key })
          .add({ failures: 1 })
          .set({ lastFailureAt: at, expiresAtEpoch })
          .where((item, { gte }) => gte(item.lastFailureAt, cutoff))
          .go({ response: 'all_new' });
        return { failures: data.failures ?? 1, lastFailureAt: at };
      } catch (error) {
        if (!isConditionalFailure(error)) throw error;
      }
      try {
        // No item, or its window closed: start again at one, unless another request just did.
        await attempts
          .put({ key, failures: 1, lastFailureAt: at, expiresAtEpoch })
          .where((item, { notExists, lt }) => `${notExists(item.key)} OR ${lt(item.lastFailureAt, cutoff)}`)
          .go();
        return { failures: 1, lastFailureAt: at };
      } catch (error) {
        if (!isConditionalFailure(error)) throw error;
      }
    }
    return { failures: 1, lastFailureAt: at };
  }

  async reset(key: string): Promise<void> {
    await this.service.entities.loginAttempts.delete({ key }).go();
  }
}
