import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createRedisClient } from '../src/platform/adapters/redis-client.js';
import { type RedisLocal, startRedisLocal } from '../src/platform/runtime/redis-local.js';
import { createTestStorefront, silentLogger, type TestStorefront } from './support/storefront.js';

// The scaling stage on one machine: the same app with redis-server standing in for ElastiCache.
describe('the scaling stage', () => {
  let shop: TestStorefront;
  const redis = createRedisClient({ url: inject('redisUrl'), logger: silentLogger });

  beforeAll(async () => {
    shop = await createTestStorefront({ stage: 'scaling' });
  });
  afterAll(() => {
    shop.runtime.close();
    redis.disconnect();
  });

  it('keeps sessions in Redis, not in the table', async () => {
    expect(shop.runtime.ports.sessions.mode).toBe('redis');
    const customer = await shop.customer();
    const keys = await redis.keys(`${shop.tableName}:session:*`);
    expect(keys).toHaveLength(1);
    expect((await shop.call('GET', '/api/me', { token: customer.token })).status).toBe(200);
    expect(
      await shop.runtime.ports.table.accounts.getSession(keys[0]?.split(':').at(-1) as string),
    ).toBeNull();
    expect((await shop.call('POST', '/api/auth/logout', { token: customer.token })).status).toBe(204);
    expect(await redis.keys(`${shop.tableName}:session:*`)).toHaveLength(0);
    expect((await shop.call('GET', '/api/me', { token: customer.token })).status).toBe(401);
  });

  it('serves the product listing from Redis after the first read, and drops it on a write', async () => {
    const product = await shop.product({ name: 'Redis lamp' });
    const first = await shop.call('GET', '/api/products?limit=5');
    const second = await shop.call('GET', '/api/products?limit=5');
    expect(first.headers.get('x-cache')).toBe('miss');
    expect(second.headers.get('x-cache')).toBe('hit');
    expect(second.json).toEqual(first.json);
    expect(await redis.keys(`${shop.tableName}:cache:*`)).not.toHaveLength(0);
    const admin = await shop.adminToken();
    await shop.call('PATCH', `/api/products/${product.id}`, {
      token: admin,
      body: { name: 'Redis lamp, renamed' },
    });
    const after = await shop.call('GET', '/api/products?limit=5');
    expect(after.headers.get('x-cache')).toBe('miss');
    expect(after.json.items.find((item: { id: string }) => item.id === product.id).name).toBe(
      'Redis lamp, renamed',
    );
  });
});

describe('the scaling stage with its Redis gone', () => {
  let own: RedisLocal;
  let shop: TestStorefront;

  beforeAll(async () => {
    own = await startRedisLocal();
    shop = await createTestStorefront({ stage: 'scaling', redisUrl: own.url });
  });
  afterAll(async () => {
    shop.runtime.close();
    await own.stop();
  });

  it('still lists products from the table, answers signed-in calls with 503, and recovers on restart', async () => {
    const customer = await shop.customer();
    await own.stop();
    const listing = await shop.call('GET', '/api/products');
    expect(listing.status).toBe(200);
    const me = await shop.call('GET', '/api/me', { token: customer.token });
    expect(me.status).toBe(503);
    expect(me.headers.get('content-type')).toBe('application/problem+json');
    expect(me.headers.get('retry-after')).toBe('1');

    own = await startRedisLocal({ port: own.port });
    // The session lived only in the stopped (unpersisted) Redis: the customer logs in again.
    const login = await shop.call('POST', '/api/auth/login', {
      body: { email: customer.email, password: 'password-123' },
    });
    expect(login.status).toBe(200);
    expect((await shop.call('GET', '/api/me', { token: login.json.token })).status).toBe(200);
  }, 60_000);
});
