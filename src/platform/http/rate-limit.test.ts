import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { afterAll, afterEach, describe, expect, inject, it, vi } from 'vitest';
import { silentLogger } from '../../../test/support/storefront.js';
import { createRedisClient } from '../adapters/redis-client.js';
import { waitFor } from '../runtime/process-tools.js';
import { type EdgeTrustOptions, edgeTrust } from './client-address.js';
import { type RateLimitOptions, rateLimit } from './rate-limit.js';

function appWith(
  options: Partial<RateLimitOptions> & Pick<RateLimitOptions, 'limit'> & { edge?: EdgeTrustOptions },
): Hono {
  const app = new Hono();
  app.use(edgeTrust(options.edge ?? { trustedProxies: 0 }));
  const limiter = rateLimit({ windowSeconds: 1, logger: silentLogger, ...options });
  if (limiter) app.use('/api/*', limiter);
  app.get('/api/products', (c) => c.json({ ok: true }));
  app.get('/api/health', (c) => c.json({ status: 'ok' }));
  app.get('/api/health/live', (c) => c.json({ status: 'ok' }));
  return app;
}

const get = (app: Hono, path = '/api/products', headers: Record<string, string> = {}) =>
  app.request(path, { headers });

describe('the rate limiter', () => {
  const redis = createRedisClient({ url: inject('redisUrl'), logger: silentLogger });
  afterAll(() => redis.disconnect());
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers 429 problem+json with retry-after past the limit, and lets the client back after the window', async () => {
    // The in-memory counter reads Date.now: a frozen clock puts the window edge where the test says.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-01-01T00:00:00.000Z') });
    const app = appWith({ limit: 3 });
    for (let index = 0; index < 3; index++) expect((await get(app)).status).toBe(200);
    const limited = await get(app);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toBe('application/problem+json');
    // Whole seconds until the 1 s window resets.
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.headers.get('ratelimit')).toMatch(/limit=3/);
    expect(await limited.json()).toMatchObject({ status: 429, title: 'Too Many Requests' });
    // Health checks from the load balancer are never limited.
    expect((await get(app, '/api/health')).status).toBe(200);
    expect((await get(app, '/api/health/live')).status).toBe(200);
    // One millisecond before the window ends the client is still limited; at its end it is back.
    vi.setSystemTime(new Date('2026-01-01T00:00:00.999Z'));
    expect((await get(app)).status).toBe(429);
    vi.setSystemTime(new Date('2026-01-01T00:00:01.000Z'));
    expect((await get(app)).status).toBe(200);
  });

  it('counts clients apart by the address the trusted proxies report, and ignores the header otherwise', async () => {
    const trusting = appWith({ limit: 1, edge: { trustedProxies: 1 } });
    expect((await get(trusting, '/api/products', { 'x-forwarded-for': '203.0.113.1' })).status).toBe(200);
    expect((await get(trusting, '/api/products', { 'x-forwarded-for': '203.0.113.2' })).status).toBe(200);
    // A client cannot dodge the limit by prepending addresses: only the proxy's own hop counts.
    expect(
      (await get(trusting, '/api/products', { 'x-forwarded-for': '10.9.9.9, 203.0.113.1' })).status,
    ).toBe(429);
    const untrusting = appWith({ limit: 1 });
    expect((await get(untrusting, '/api/products', { 'x-forwarded-for': '203.0.113.1' })).status).toBe(200);
    expect((await get(untrusting, '/api/products', { 'x-forwarded-for': '203.0.113.2' })).status).toBe(429);
  });

  it('shares the count across instances through Redis, and recovers after the window', async () => {
    const namespace = `rl-${randomUUID()}`;
    // A window far longer than the test: every request below falls in the same one.
    const windowSeconds = 60;
    const first = appWith({ limit: 4, windowSeconds, redis: { client: redis, namespace } });
    const second = appWith({ limit: 4, windowSeconds, redis: { client: redis, namespace } });
    const statuses = [];
    for (let index = 0; index < 6; index++) statuses.push((await get(index % 2 ? second : first)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    // Redis keeps the window as the counter's expiry: one key, expiring within the window.
    const keys = await redis.keys(`${namespace}:rate:*`);
    expect(keys).toHaveLength(1);
    const key = keys[0] as string;
    const remaining = await redis.pttl(key);
    expect(remaining).toBeGreaterThan(0);
    expect(remaining).toBeLessThanOrEqual(windowSeconds * 1000);
    // The window's end is Redis's clock: bring it to now, and both instances let the client back.
    await redis.pexpire(key, 1);
    await waitFor(async () => (await redis.exists(key)) === 0, {
      timeoutMs: 5_000,
      intervalMs: 10,
      what: 'the end of the window',
    });
    expect((await get(second)).status).toBe(200);
    expect((await get(first)).status).toBe(200);
  });

  it('lets requests through when Redis is away rather than failing the shop', async () => {
    const away = createRedisClient({ url: 'redis://127.0.0.1:1', logger: silentLogger });
    try {
      const app = appWith({ limit: 1, redis: { client: away, namespace: 'down' } });
      expect((await get(app)).status).toBe(200);
      expect((await get(app)).status).toBe(200);
    } finally {
      away.disconnect();
    }
  }, 20_000);

  it('is off at a limit of 0', () => {
    expect(rateLimit({ limit: 0, windowSeconds: 60, logger: silentLogger })).toBeUndefined();
  });
});
