import type { EventCounters } from '../../contracts/ports.js';
import type { StorefrontService } from './dynamodb-entities.js';

/** Analytics counters as atomic ADD updates: concurrent events never lose a count. */
export class DynamoDbEventCounters implements EventCounters {
  constructor(
    private readonly service: StorefrontService,
    private readonly now: () => Date,
  ) {}

  async increment(productId: string, type: string): Promise<void> {
    await this.service.entities.counter
      .upsert({ productId, type })
      .add({ count: 1 })
      .set({ updatedAt: this.now().toISOString() })
      .go();
  }

  async countsFor(productId: string): Promise<Record<string, number>> {
    const { data } = await this.service.entities.counter.query.byProduct({ productId }).go({ pages: 'all' });
    return Object.fromEntries(data.map((item) => [item.type, item.count ?? 0]));
  }
}
