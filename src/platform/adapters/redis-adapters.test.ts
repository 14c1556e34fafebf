import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { silentLogger } from '../../../test/support/storefront.js';
import { UnavailableError } from '../../contracts/errors.js';
import type { Clock } from '../../contracts/ports.js';
import { startRedisLocal } from '../runtime/redis-local.js';
import { RedisCache } from './redis-cache.js';
import { createRedisClient } from './redis-client.js';
import { RedisSessionStore } from './redis-sessions.js';

const counted = () => {
  const counts = { hits: 0, misses: 0 };
  return { counts, counters: { hit: () => counts.hits++, miss: () => counts.misses++ } };
};

describe('the Redis adapters against a real redis-server', () => {
  const client = createRedisClient({ url: inject('redisUrl'), logger: silentLogger });
  afterAll(() => client.disconnect());

  it('caches JSON values with a TTL and counts hits and misses', async () => {
    const { counts, counters } = counted();
    const cache = new RedisCache(client, `t-${randomUUID()}`, counters, silentLogger);
    expect(await cache.get('catalog:list:a')).toBeUndefined();
    await cache.set('catalog:list:a', { items: [{ id: 'p1', stock: 3 }] }, 1);
    expect(await cache.get('catalog:list:a')).toEqual({ items: [{ id: 'p1', stock: 3 }] });
    expect(counts).toEqual({ hits: 1, misses: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(await cache.get('catalog:list:a')).toBeUndefined();
  });

  it('invalidates a prefix, glob characters included, and nothing outside it or another namespace', async () => {
    const namespace = `t-${randomUUID()}`;
    const cache = new RedisCache(client, namespace, counted().counters, silentLogger);
    const neighbour = new RedisCache(client, `${namespace}-other`, counted().counters, silentLogger);
    for (let index = 0; index < 1200; index++) await cache.set(`catalog:[x]*:${index}`, index, 60);
    await cache.set('catalog:plain', 1, 60);
    await cache.set('orders:keep', 2, 60);
    await neighbour.set('catalog:[x]*:1', 3, 60);
    await cache.invalidate('catalog:[x]*');
    expect(await cache.get('catalog:[x]*:7')).toBeUndefined();
    expect(await cache.get('catalog:[x]*:1199')).toBeUndefined();
    expect(await cache.get('catalog:plain')).toBe(1);
    expect(await cache.get('orders:keep')).toBe(2);
    expect(await neighbour.get('catalog:[x]*:1')).toBe(3);
  });

  it('keeps sessions until they expire, and forgets them on delete', async () => {
    let now = Date.now();
    const clock: Clock = { now: () => new Date(now) };
    const namespace = `t-${randomUUID()}`;
    const sessions = new RedisSessionStore(client, namespace, clock);
    const session = {
      tokenHash: 'h1',
      userId: 'u1',
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + 1_000).toISOString(),
    };
    await sessions.create(session);
    expect(await sessions.get('h1')).toEqual(session);
    expect(
      await client.pttl(`${(sessions as unknown as { namespace: string }).namespace}:session:h1`),
    ).toBeGreaterThan(0);
    await sessions.delete('h1');
    expect(await sessions.get('h1')).toBeNull();
    await sessions.create({ ...session, tokenHash: 'h2' });
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(await sessions.get('h2')).toBeNull();
    now += 10_000;
    // A session already past its expiry is not written at all.
    await sessions.create({ ...session, tokenHash: 'h3' });
    expect(await sessions.get('h3')).toBeNull();
  });
});

describe('when Redis is away', () => {
  let stopped: Awaited<ReturnType<typeof startRedisLocal>>;
  const clients: ReturnType<typeof createRedisClient>[] = [];
  beforeAll(async () => {
    stopped = await startRedisLocal();
    await stopped.stop();
  });
  afterAll(() => {
    for (const client of clients) client.disconnect();
  });

  it('makes the cache a miss and the session store a 503, within seconds', async () => {
    const client = createRedisClient({ url: stopped.url, logger: silentLogger });
    clients.push(client);
    const { counts, counters } = counted();
    const cache = new RedisCache(client, 'down', counters, silentLogger);
    const started = Date.now();
    expect(await cache.get('catalog:list')).toBeUndefined();
    await cache.set('catalog:list', 1, 60);
    expect(counts.misses).toBe(1);
    const sessions = new RedisSessionStore(client, 'down', { now: () => new Date() });
    await expect(sessions.get('h')).rejects.toBeInstanceOf(UnavailableError);
    await expect(cache.invalidate('catalog:')).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 30_000);
});
