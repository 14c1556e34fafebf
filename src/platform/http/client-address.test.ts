import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../test/support/storefront.js';
import { ORIGIN_VERIFY_HEADER } from '../../contracts/origin-verify-header.js';
import { clientAddress, type EdgeTrustOptions } from './client-address.js';
import { createHttpApp } from './create-http-app.js';

const SECRET = 'Zq7f3kR9xW2mP8vL4tN6yB1cH5jD0gS3';
/** The load balancer's own address: the peer of every request that reached the app through it. */
const PEER = '10.0.1.25';

/** The HTTP edge as the runtimes build it, with a route that says which client it saw. */
function edgeApp(edge: EdgeTrustOptions, limit = 5): Hono {
  const api = new Hono();
  api.get('/whoami', (c) => c.json({ client: clientAddress(c) }));
  api.get('/health', (c) => c.json({ status: 'ok' }));
  return createHttpApp({
    api,
    logger: silentLogger,
    metrics: {
      middleware: () => (_c, next) => next(),
      render: async () => ({ contentType: 'text/plain', body: '' }),
    },
    edge,
    rateLimit: { limit, windowSeconds: 60, logger: silentLogger },
  });
}

const call = (app: Hono, path: string, headers: Record<string, string>) =>
  app.request(path, { headers }, { incoming: { socket: { remoteAddress: PEER } } });

/** Behind CloudFront and a load balancer: two hops appended, the origin secret known. */
const BEHIND_CLOUDFRONT: EdgeTrustOptions = { trustedProxies: 2, originSecret: SECRET };

describe('the client address behind CloudFront', () => {
  it('takes the viewer address CloudFront appended, on a request that carries the origin secret', async () => {
    const app = edgeApp(BEHIND_CLOUDFRONT);
    const response = await call(app, '/api/whoami', {
      [ORIGIN_VERIFY_HEADER]: SECRET,
      // What the client wrote, then what CloudFront saw, then the CloudFront edge the ALB saw.
      'x-forwarded-for': '1.2.3.4, 203.0.113.9, 130.176.0.10',
    });
    expect(await response.json()).toEqual({ client: '203.0.113.9' });
  });

  it('ignores forwarded hops on a request without the secret: it did not come through CloudFront', async () => {
    const attempts: Record<string, string>[] = [
      { 'x-forwarded-for': '203.0.113.77, 198.51.100.1' },
      { [ORIGIN_VERIFY_HEADER]: 'guessed', 'x-forwarded-for': '203.0.113.77, 198.51.100.1' },
      { [ORIGIN_VERIFY_HEADER]: `${SECRET}x`, 'x-forwarded-for': '203.0.113.77, 198.51.100.1' },
    ];
    for (const headers of attempts) {
      const response = await call(edgeApp(BEHIND_CLOUDFRONT), '/api/whoami', headers);
      expect(await response.json()).toEqual({ client: PEER });
    }
  });

  it('does not let 50 direct requests with rotating spoofed hops past a limit of 5', async () => {
    const app = edgeApp(BEHIND_CLOUDFRONT, 5);
    const statuses: number[] = [];
    for (let index = 0; index < 50; index++) {
      const response = await call(app, '/api/whoami', {
        'x-forwarded-for': `198.18.${index}.1, 198.19.${index}.1`,
      });
      statuses.push(response.status);
    }
    expect(statuses.filter((status) => status === 200)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(45);
  });

  it('counts clients that come through CloudFront apart, however they pad X-Forwarded-For', async () => {
    const app = edgeApp(BEHIND_CLOUDFRONT, 1);
    const through = (viewer: string, padding = '') =>
      call(app, '/api/whoami', {
        [ORIGIN_VERIFY_HEADER]: SECRET,
        'x-forwarded-for': `${padding}${viewer}, 130.176.0.10`,
      });
    expect((await through('203.0.113.1')).status).toBe(200);
    expect((await through('203.0.113.2')).status).toBe(200);
    expect((await through('203.0.113.1', '10.9.9.9, ')).status).toBe(429);
  });

  it('refuses API requests without the secret when the stage requires it, but not health checks', async () => {
    const app = edgeApp({ ...BEHIND_CLOUDFRONT, requireOrigin: true });
    const refused = await call(app, '/api/whoami', { 'x-forwarded-for': '203.0.113.1' });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(await refused.json()).toMatchObject({ status: 403, title: 'Forbidden' });
    // Route 53's checkers, the load balancer and Kubernetes probe health without the header.
    expect((await call(app, '/api/health', {})).status).toBe(200);
    expect((await call(app, '/api/whoami', { [ORIGIN_VERIFY_HEADER]: SECRET })).status).toBe(200);
    // What is not the API (the metrics a scraper reads inside the network) is not the edge's to refuse.
    expect((await call(app, '/metrics', {})).status).toBe(200);
  });

  it('trusts forwarded hops as before where no origin secret is configured (locally, behind a known proxy)', async () => {
    const app = edgeApp({ trustedProxies: 1 });
    const response = await call(app, '/api/whoami', { 'x-forwarded-for': '1.2.3.4, 203.0.113.5' });
    expect(await response.json()).toEqual({ client: '203.0.113.5' });
    const untrusting = edgeApp({ trustedProxies: 0 });
    const direct = await call(untrusting, '/api/whoami', { 'x-forwarded-for': '203.0.113.5' });
    expect(await direct.json()).toEqual({ client: PEER });
  });
});
