import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { TraceRing } from './trace-ring.js';

const T0 = Date.UTC(2026, 0, 1);

/** A ring behind a provider of its own (not the process's), and a way to record a request. */
function ringOf(capacity: number) {
  const ring = new TraceRing(capacity);
  const tracer = new BasicTracerProvider({ spanProcessors: [ring] }).getTracer('test');
  const request = (route: string, status: number, at: number, ms: number, calls: string[] = []) => {
    const root = tracer.startSpan(`GET ${route}`, { kind: SpanKind.SERVER, startTime: T0 + at });
    const parent = trace.setSpan(ROOT_CONTEXT, root);
    calls.forEach((name, index) => {
      const child = tracer.startSpan(name, { kind: SpanKind.CLIENT, startTime: T0 + at + index + 1 }, parent);
      if (name.endsWith('!')) child.setStatus({ code: SpanStatusCode.ERROR, message: 'ThrottlingException' });
      child.end(T0 + at + index + 2);
    });
    root.setAttributes({ 'http.route': route, 'http.response.status_code': status });
    root.end(T0 + at + ms);
    return root.spanContext().traceId;
  };
  return { ring, tracer, request };
}

describe('the trace ring', () => {
  it('groups a request’s spans under its trace, children placed on its time line', () => {
    const { ring, request } = ringOf(10);
    const traceId = request('/api/products', 200, 0, 20, ['DynamoDB.Query', 'SES.SendEmail!']);
    const [summary] = ring.list();
    expect(summary).toMatchObject({
      traceId,
      kind: 'request',
      route: '/api/products',
      status: 200,
      durationMs: 20,
      spanCount: 3,
      error: true,
      startedAt: new Date(T0).toISOString(),
    });
    const detail = ring.get(traceId);
    const root = detail?.spans[0];
    expect(detail?.spans.map((span) => [span.name, span.offsetMs, span.durationMs])).toEqual([
      ['GET /api/products', 0, 20],
      ['DynamoDB.Query', 1, 1],
      ['SES.SendEmail!', 2, 1],
    ]);
    expect(detail?.spans[1]?.parentSpanId).toBe(root?.spanId);
    expect(root?.parentSpanId).toBeUndefined();
    expect(detail?.spans[2]?.error).toBe('ThrottlingException');
    expect(detail?.spans[1]?.error).toBeUndefined();
  });

  it('keeps only the newest traces, up to its capacity', () => {
    const { ring, request } = ringOf(3);
    const ids = [0, 1, 2, 3, 4].map((index) => request(`/api/r${index}`, 200, index * 100, 5));
    expect(ring.list().map((summary) => summary.traceId)).toEqual([ids[4], ids[3], ids[2]]);
    expect(ring.get(ids[0] as string)).toBeUndefined();
  });

  it('lists newest first, or slowest first on demand', () => {
    const { ring, request } = ringOf(10);
    request('/api/a', 200, 0, 50);
    request('/api/b', 200, 100, 5);
    request('/api/c', 200, 200, 20);
    expect(ring.list().map((summary) => summary.route)).toEqual(['/api/c', '/api/b', '/api/a']);
    expect(ring.list({ sort: 'slowest' }).map((summary) => summary.route)).toEqual([
      '/api/a',
      '/api/c',
      '/api/b',
    ]);
    expect(ring.list({ sort: 'slowest', limit: 1 }).map((summary) => summary.route)).toEqual(['/api/a']);
  });

  it('filters by route text and by status, class or error', () => {
    const { ring, request } = ringOf(10);
    request('/api/products', 200, 0, 5);
    request('/api/products/:id', 404, 10, 5);
    request('/api/orders', 503, 20, 5);
    request('/api/orders/:id', 200, 30, 5, ['DynamoDB.GetItem!']);
    const routes = (query: Parameters<TraceRing['list']>[0]) => ring.list(query).map((s) => s.route);
    expect(routes({ route: 'products' })).toEqual(['/api/products/:id', '/api/products']);
    expect(routes({ status: '404' })).toEqual(['/api/products/:id']);
    expect(routes({ status: '2xx' })).toEqual(['/api/orders/:id', '/api/products']);
    expect(routes({ status: '5xx' })).toEqual(['/api/orders']);
    expect(routes({ status: 'error' })).toEqual(['/api/orders/:id']);
    expect(routes({ route: 'orders', status: '2xx' })).toEqual(['/api/orders/:id']);
  });

  it('lists a trace once its root has ended, and leaves out the trace view’s own requests', () => {
    const { ring, tracer, request } = ringOf(10);
    const root = tracer.startSpan('GET /api/products', { kind: SpanKind.SERVER });
    tracer.startSpan('DynamoDB.Query', {}, trace.setSpan(ROOT_CONTEXT, root)).end();
    expect(ring.list()).toEqual([]);
    root.end();
    expect(ring.list()).toHaveLength(1);
    request('/api/ops/traces', 200, 0, 1);
    expect(ring.list().map((summary) => summary.route)).toEqual(['GET /api/products']);
  });

  it('shows a job as its own trace, linked to the request that enqueued it', () => {
    const { ring, tracer, request } = ringOf(10);
    const requestTrace = request('/api/auth/signup', 201, 0, 10);
    const requestSpan = ring.get(requestTrace)?.spans[0]?.spanId as string;
    const job = tracer.startSpan('job send-welcome-email', {
      kind: SpanKind.CONSUMER,
      root: true,
      links: [{ context: { traceId: requestTrace, spanId: requestSpan, traceFlags: 1 } }],
      attributes: { 'job.type': 'send-welcome-email' },
      startTime: T0 + 50,
    });
    job.end(T0 + 60);
    const jobTrace = job.spanContext().traceId;
    expect(jobTrace).not.toBe(requestTrace);
    expect(ring.get(jobTrace)).toMatchObject({
      kind: 'job',
      route: 'send-welcome-email',
      status: undefined,
      links: [{ traceId: requestTrace, spanId: requestSpan }],
    });
    expect(ring.get(requestTrace)?.linkedFrom.map((summary) => summary.traceId)).toEqual([jobTrace]);
  });
});
