import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startHttpServer } from '../src/platform/runtime/http-server.js';
import { createTestStorefront, type TestStorefront } from './support/storefront.js';

let shop: TestStorefront;

beforeAll(async () => {
  shop = await createTestStorefront();
});

/** One request through a keep-alive agent; the status, the connection header and the body. */
function send(
  agent: Agent,
  port: number,
  options: { method: string; path: string; body?: string; headers?: Record<string, string> },
): Promise<{ status: number; connection: string | undefined; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: '127.0.0.1',
        port,
        agent,
        method: options.method,
        path: options.path,
        headers: options.headers,
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => {
          text += chunk;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, connection: response.headers.connection, text }),
        );
        response.on('error', reject);
      },
    );
    // The server may answer and close before the whole body is written: that is the case under test.
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

describe('the HTTP edge over a keep-alive connection', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startHttpServer(shop.runtime.app, { port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('closes the connection after a 413, saying so, so the next request on the agent succeeds', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const huge = JSON.stringify({ type: 'view', productId: 'x'.repeat(1_100_000) });
      const tooLarge = await send(agent, server.port, {
        method: 'POST',
        path: '/api/events',
        body: huge,
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(huge)) },
      });
      expect(tooLarge.status).toBe(413);
      expect(tooLarge.connection).toBe('close');
      const next = await send(agent, server.port, { method: 'GET', path: '/api/health' });
      expect(next.status).toBe(200);
    } finally {
      agent.destroy();
    }
  });

  it('keeps the connection after an ordinary error, and serves the next request after one that left the body unread', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const missing = await send(agent, server.port, { method: 'GET', path: '/api/nowhere' });
      expect(missing.status).toBe(404);
      expect(missing.connection).toBe('keep-alive');
      const notJson = await send(agent, server.port, {
        method: 'POST',
        path: '/api/auth/login',
        body: 'x'.repeat(500_000),
        headers: { 'content-type': 'text/plain' },
      });
      expect(notJson.status).toBe(415);
      expect((await send(agent, server.port, { method: 'GET', path: '/api/health' })).status).toBe(200);
    } finally {
      agent.destroy();
    }
  });
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
    expect(result.headers.get('x-frame-options')).toBe('DENY');
    expect(result.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(result.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(result.headers.get('x-request-id')).toBeTruthy();
  });

  it("sends an API answer the API's set of security headers, not the set for HTML pages", async () => {
    const security = (headers: Headers) =>
      [...headers.keys()]
        .filter(
          (name) =>
            !/^(content-(type|length)|date|x-request-id|connection|keep-alive|cache-control|etag|x-cache|vary|ratelimit.*)$/.test(
              name,
            ),
        )
        .sort();
    // OWASP's REST Security Cheat Sheet set, plus a referrer policy and CORP: what CloudFront's
    // API policy sends (src/infra/constructs/response-headers.ts).
    expect(security((await shop.call('GET', '/api/products')).headers)).toEqual([
      'content-security-policy',
      'cross-origin-resource-policy',
      'referrer-policy',
      'strict-transport-security',
      'x-content-type-options',
      'x-frame-options',
    ]);
    // The docs page keeps its own CSP (Swagger UI's inline styles).
    const docs = await shop.call('GET', '/api/docs');
    expect(docs.headers.get('content-security-policy')).not.toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
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
        'POST /auth/verify',
        'POST /auth/password-reset',
        'POST /auth/password-reset/confirm',
        'GET /me',
        'POST /me/password',
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
        'GET /ops/stage-map',
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
