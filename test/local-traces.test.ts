import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TraceDetail, TraceSummary } from '../src/contracts/traces.js';
import { startObservedWorker } from '../src/entry/local-queue.js';
import { LOCAL_REQUEST_SAMPLING } from '../src/entry/local-traces.js';
import { createTestStorefront, type TestStorefront } from './support/storefront.js';

let shop: TestStorefront;
let admin: string;

beforeAll(async () => {
  shop = await createTestStorefront({ stage: 'growing', traces: true });
  admin = await shop.adminToken();
});

afterAll(async () => {
  await shop?.queue?.stop();
  shop?.runtime.close();
});

const traces = async (query = ''): Promise<TraceSummary[]> => {
  const result = await shop.call('GET', `/api/ops/traces${query}`, { token: admin });
  expect(result.status).toBe(200);
  return result.json.items;
};

const traceOf = async (traceId: string): Promise<TraceDetail> => {
  const result = await shop.call('GET', `/api/ops/traces/${traceId}`, { token: admin });
  expect(result.status).toBe(200);
  return result.json;
};

describe('local traces in the ops API', () => {
  it('records a request with its DynamoDB calls as child spans', async () => {
    // A trace header the load balancer would send, so the test knows the trace id.
    const traceId = `${Math.floor(Date.now() / 1000).toString(16)}${randomUUID().replace(/-/g, '').slice(0, 24)}`;
    const header = `Root=1-${traceId.slice(0, 8)}-${traceId.slice(8)};Parent=53995c3f42cd8ad8;Sampled=1`;
    const product = await shop.product();
    const read = await shop.call('GET', `/api/products/${product.id}`, {
      headers: { 'x-amzn-trace-id': header },
    });
    expect(read.status).toBe(200);

    const listed = (await traces('?route=/api/products/:id')).find((trace) => trace.traceId === traceId);
    expect(listed).toMatchObject({ kind: 'request', route: '/api/products/:id', status: 200, error: false });
    expect(listed?.durationMs).toBeGreaterThan(0);

    const detail = await traceOf(traceId);
    const [root, ...children] = detail.spans;
    expect(root).toMatchObject({ name: 'GET /api/products/:id', kind: 'server', offsetMs: 0 });
    const dynamo = children.find((span) => span.name.startsWith('DynamoDB.'));
    expect(dynamo).toMatchObject({ kind: 'client', parentSpanId: root?.spanId });
    expect(dynamo?.attributes['rpc.service']).toBe('DynamoDB');
    expect(dynamo?.durationMs).toBeGreaterThan(0);
    expect(dynamo?.durationMs).toBeLessThanOrEqual(root?.durationMs ?? 0);
  });

  it('filters by status and lists the slowest first on demand', async () => {
    expect((await shop.call('GET', '/api/products/01ARZ3NDEKTSV4RRFFQ69G5FAV')).status).toBe(404);
    const missing = await traces('?status=404');
    expect(missing.length).toBeGreaterThan(0);
    expect(missing.every((trace) => trace.status === 404)).toBe(true);
    expect((await traces('?status=4xx')).map((trace) => trace.traceId)).toContain(missing[0]?.traceId);
    const slowest = (await traces('?sort=slowest')).map((trace) => trace.durationMs);
    expect(slowest.length).toBeGreaterThan(1);
    expect(slowest).toEqual([...slowest].sort((a, b) => b - a));
  });

  it('answers a wrong filter with a problem, and keeps the traces from customers', async () => {
    const bad = await shop.call('GET', '/api/ops/traces?status=teapot&sort=fastest', { token: admin });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.json.errors.map((error: { path: string }) => error.path).sort()).toEqual(['sort', 'status']);
    const customer = await shop.customer();
    expect((await shop.call('GET', '/api/ops/traces', { token: customer.token })).status).toBe(403);
    expect((await shop.call('GET', '/api/ops/traces')).status).toBe(401);
    const gone = await shop.call('GET', `/api/ops/traces/${'0'.repeat(32)}`, { token: admin });
    expect(gone.status).toBe(404);
  });

  it('shows a job the worker ran as its own trace, linked to the request that enqueued it', async () => {
    const queue = shop.queue;
    if (!queue) throw new Error('the growing stage has a queue');
    startObservedWorker(queue, shop.runtime.config, shop.runtime);
    const email = `traced-${randomUUID().slice(0, 8)}@example.com`;
    const signup = await shop.call('POST', '/api/auth/signup', {
      body: { email, password: 'password-123', name: 'Traced' },
    });
    expect(signup.status).toBe(201);
    const [request] = await traces('?route=/api/auth/signup');
    const requestTrace = await traceOf(request?.traceId as string);
    expect(requestTrace.spans.map((span) => span.name)).toContain('SQS.SendMessage');

    let job: TraceSummary | undefined;
    await expect
      .poll(
        async () => {
          job = (await traces('?route=send-welcome-email')).find((trace) =>
            trace.links.some((link) => link.traceId === request?.traceId),
          );
          return job;
        },
        { timeout: 15_000, interval: 250 },
      )
      .toBeDefined();
    expect(job).toMatchObject({ kind: 'job', name: 'job send-welcome-email', error: false });
    expect(job?.traceId).not.toBe(request?.traceId);
    // Linked to the request's span, which enqueued it.
    expect(job?.links).toEqual([{ traceId: request?.traceId, spanId: requestTrace.spans[0]?.spanId }]);
    const jobTrace = await traceOf(job?.traceId as string);
    expect(jobTrace.spans.map((span) => span.name)).toContain('SESv2.SendEmail');
    expect((await traceOf(request?.traceId as string)).linkedFrom.map((trace) => trace.traceId)).toEqual([
      job?.traceId,
    ]);
  });
  it('traces every request of a person, but only the first 50 a second of a burst', async () => {
    const burst = 300;
    const marker = `/api/products/${'1'.repeat(26)}`;
    const before = (await traces('?route=/api/products/:id&limit=500')).length;
    // One second for the whole burst, however slow the machine: the sampler reads Date.now.
    const now = vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 10_000);
    try {
      await Promise.all(
        Array.from({ length: burst }, () => shop.call('GET', marker).then((result) => result.status)),
      );
    } finally {
      now.mockRestore();
    }
    const recorded = (await traces('?route=/api/products/:id&limit=500')).length - before;
    // The first LOCAL_REQUEST_SAMPLING.perSecond of the second, and no more.
    expect(recorded).toBeGreaterThan(0);
    expect(recorded).toBeLessThanOrEqual(LOCAL_REQUEST_SAMPLING.perSecond);
    // A caller that asks for the trace (Sampled=1) gets it, whatever the burst left.
    const traceId = `${Math.floor(Date.now() / 1000).toString(16)}${randomUUID().replace(/-/g, '').slice(0, 24)}`;
    const header = `Root=1-${traceId.slice(0, 8)}-${traceId.slice(8)};Parent=53995c3f42cd8ad8;Sampled=1`;
    await shop.call('GET', marker, { headers: { 'x-amzn-trace-id': header } });
    const asked = await traceOf(traceId);
    expect(asked.spans.map((span) => span.name)).toContain('GET /api/products/:id');
  });
});
