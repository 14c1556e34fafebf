import { afterAll, describe, expect, inject, it } from 'vitest';
import { freshTable } from '../../../test/support/fixtures.js';
import { silentLogger } from '../../../test/support/storefront.js';
import type { LoginThrottle } from '../../contracts/ports.js';
import { createDynamoDbClient } from './dynamodb-client.js';
import { createDynamoDbTable } from './dynamodb-table-port.js';
import { createRedisClient } from './redis-client.js';
import { RedisLoginThrottle } from './redis-login-throttle.js';

const redis = createRedisClient({ url: inject('redisUrl'), logger: silentLogger });
const dynamo = createDynamoDbClient({ region: 'us-east-1', endpoint: inject('dynamodbEndpoint') });
afterAll(() => {
  redis.disconnect();
  dynamo.destroy();
});

const adapters: [string, () => Promise<LoginThrottle>][] = [
  [
    'the table',
    async () => createDynamoDbTable(dynamo, await freshTable('throttle'), () => new Date()).loginThrottle,
  ],
  ['Redis', async () => new RedisLoginThrottle(redis, `throttle-${Date.now()}`)],
];

describe.each(adapters)('failed-login counts in %s', (_name, make) => {
  const start = new Date('2026-11-01T12:00:00Z');
  const later = (seconds: number) => new Date(start.getTime() + seconds * 1000);

  it('counts every one of many parallel failures', async () => {
    const throttle = await make();
    await Promise.all(Array.from({ length: 12 }, () => throttle.recordFailure('account:a', start, 900)));
    expect(await throttle.get('account:a', start)).toEqual({ failures: 12, lastFailureAt: start.getTime() });
  });

  it('starts again at one once the window after the last failure has closed, by the caller’s clock', async () => {
    const throttle = await make();
    await throttle.recordFailure('client:1', start, 60);
    expect((await throttle.recordFailure('client:1', later(30), 60)).failures).toBe(2);
    expect((await throttle.recordFailure('client:1', later(200), 60)).failures).toBe(1);
  });

  it('forgets a key on reset', async () => {
    const throttle = await make();
    await throttle.recordFailure('account:b', start, 900);
    await throttle.reset('account:b');
    expect(await throttle.get('account:b', start)).toBeNull();
  });
});
