import { beforeAll, describe, expect, it } from 'vitest';
import { createTestStorefront, type TestStorefront } from './support/storefront.js';

let shop: TestStorefront;

beforeAll(async () => {
  shop = await createTestStorefront();
});

describe('the HTTP edge', () => {
  it('answers readiness with the stage and the state of each dependency', async () => {
    const result = await shop.call('GET', '/api/health');
    expect(result.status).toBe(200);
    expect(result.json).toEqual({
      status: 'ok',
      stage: 'startup',
      checks: {
        table: { status: 'ok', mode: 'dynamodb' },
        cache: { status: 'ok', mode: 'none' },
        queue: { status: 'ok', mode: 'inline' },
      },
    });
  });

  it('answers liveness without asking any dependency', async () => {
    const result = await shop.call('GET', '/api/health/live');
    expect(result.status).toBe(200);
    expect(result.json).toEqual({ status: 'ok' });
  });

  it('refuses a body over 1 MB with a 413 problem and stores nothing', async () => {
    const customer = await shop.customer();
    const huge = JSON.stringify({ items: [{ productId: 'x'.repeat(1_100_000), quantity: 1 }] });
    const result = await shop.call('POST', '/api/orders', {
      rawBody: huge,
      token: customer.token,
      headers: { 'content-type': 'application/json', 'idempotency-key': 'huge' },
    });
    expect(result.status).toBe(413);
    expect(result.headers.get('content-type')).toContain('application/problem+json');
    expect((await shop.call('GET', '/api/orders', { token: customer.token })).json.items).toEqual([]);
  });

  it('answers malformed JSON with a 400 problem naming the body', async () => {
    const result = await shop.call('POST', '/api/auth/signup', {
      rawBody: '{"email": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(result.status).toBe(400);
    expect(result.json).toMatchObject({ title: 'Malformed JSON', errors: [{ path: 'body' }] });
  });

  it('answers a non-JSON body with 415', async () => {
    const result = await shop.call('POST', '/api/auth/login', {
      rawBody: 'email=a',
      headers: { 'content-type': 'text/plain' },
    });
    expect(result.status).toBe(415);
    expect(result.headers.get('content-type')).toContain('application/problem+json');
  });

  it('answers unknown routes and methods with a 404 problem', async () => {
    const result = await shop.call('GET', '/api/nowhere');
    expect(result.status).toBe(404);
    expect(result.json).toMatchObject({ status: 404, title: 'Not Found', instance: '/api/nowhere' });
    expect((await shop.call('PUT', '/api/health')).status).toBe(404);
  });

  it('sets security headers and a request id on every response', async () => {
    const result = await shop.call('GET', '/api/health');
    expect(result.headers.get('x-content-type-options')).toBe('nosniff');
    expect(result.headers.get('strict-transport-security')).toContain('max-age=');
    expect(result.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(result.headers.get('x-request-id')).toBeTruthy();
  });
});

describe('the API description', () => {
  it('documents every route of the design in OpenAPI 3.1', async () => {
    const { json: doc } = await shop.call('GET', '/api/openapi.json');
    expect(doc.openapi).toBe('3.1.0');
    const routes = Object.entries(doc.paths as Record<string, object>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.sort()).toEqual(
      [
        'GET /health',
        'GET /health/live',
        'POST /auth/signup',
        'POST /auth/login',
        'POST /auth/logout',
        'GET /me',
        'GET /products',
        'POST /products',
        'GET /products/{id}',
        'PATCH /products/{id}',
        'DELETE /products/{id}',
        'GET /search',
        'POST /orders',
        'GET /orders',
        'GET /orders/{id}',
        'POST /events',
        'GET /ops/stage',
        'GET /ops/analytics/top-products',
        'GET /ops/plan',
      ].sort(),
    );
    expect(doc.components.schemas.Problem).toBeDefined();
    expect(doc.paths['/orders'].post.responses['409'].content['application/problem+json']).toBeDefined();
  });

  it('renders the docs with assets served locally', async () => {
    const page = await shop.call('GET', '/api/docs');
    expect(page.status).toBe(200);
    expect(page.json).toContain('/api/docs/assets/swagger-ui-bundle.js');
    expect(page.json).not.toMatch(/https?:\/\/(?!localhost)/);
    const bundle = await shop.runtime.app.request('/api/docs/assets/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
    expect((await shop.call('GET', '/api/docs/assets/../../package.json')).status).toBe(404);
  });
});

describe('metrics', () => {
  it('counts requests by route pattern and status in Prometheus text', async () => {
    await shop.call('GET', '/api/products/unknown-id');
    await shop.call('GET', '/api/health');
    const result = await shop.runtime.app.request('/metrics');
    const text = await result.text();
    expect(result.headers.get('content-type')).toContain('text/plain');
    expect(text).toMatch(
      /http_requests_total\{method="GET",route="\/api\/products\/:id",status="404"\} [1-9]/,
    );
    expect(text).toContain('http_request_duration_seconds_bucket{le="0.005"');
    expect(text).toContain('growstack_stage_info{stage="startup"} 1');
  });
});
