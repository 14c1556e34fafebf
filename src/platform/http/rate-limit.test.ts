import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { silentLogger } from '../../../test/support/storefront.js';
import { createRedisClient } from '../adapters/redis-client.js';
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

  it('answers 429 problem+json with retry-after past the limit, and lets the client back after the window', async () => {
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
    await new Promise((resolve) => setTimeout(resolve, 1_100));
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
    const first = appWith({ limit: 4, redis: { client: redis, namespace } });
    const second = appWith({ limit: 4, redis: { client: redis, namespace } });
    const statuses = [];
    for (let index = 0; index < 6; index++) statuses.push((await get(index % 2 ? second : first)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await get(second)).status).toBe(200);
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
