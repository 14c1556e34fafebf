import { randomUUID } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectLocalQueue, type LocalQueue } from '../src/entry/local-queue.js';
import { type ContainerServer, startContainerServer } from '../src/entry/server.js';
import { loadConfig } from '../src/platform/config.js';
import { startTracing } from '../src/platform/runtime/otel.js';
import { outgoingTraceHeader, tracer } from '../src/platform/tracing.js';
import { capturedLogs, freshTable } from './support/fixtures.js';

// What the ALB sends: a trace started at the edge, with the load balancer's segment as parent.
const ROOT = '1-67891233-abcdef012345678912345678';
const TRACE = `Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=1`;
const TRACE_ID = '67891233abcdef012345678912345678';

describe('the API container traces a request across DynamoDB, Redis and SQS (OpenTelemetry → X-Ray)', () => {
  const exporter = new InMemorySpanExporter();
  const { lines, logger } = capturedLogs();
  let queue: LocalQueue;
  let server: ContainerServer;

  beforeAll(async () => {
    const endpoint = inject('dynamodbEndpoint');
    const tableName = await freshTable('otel');
    queue = await connectLocalQueue(inject('sqsEndpoint'), {
      region: 'us-east-1',
      name: `otel-${randomUUID()}`,
    });
    const config = loadConfig(
      {},
      {
        stage: 'scaling',
        port: 0,
        tableName,
        dynamodbEndpoint: endpoint,
        queueUrl: queue.queueUrl,
        sqsEndpoint: queue.endpoint,
        redisUrl: inject('redisUrl'),
        local: true,
        rateLimit: 0,
        traceSampleRate: 1,
      },
    );
    server = await startContainerServer(config, { spanExporter: exporter, logger });
  });

  afterAll(async () => {
    await server?.shutdown('test over');
    await queue?.stop();
  });

  const spansOf = (traceId: string): ReadableSpan[] =>
    exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);

  it('continues the load balancer’s trace: one server span, with the calls it made under it', async () => {
    const response = await fetch(`${server.url}/api/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-amzn-trace-id': TRACE },
      body: JSON.stringify({
        email: `otel-${randomUUID()}@example.com`,
        password: 'password-123',
        name: 'Otel',
      }),
    });
    expect(response.status).toBe(201);

    const spans = spansOf(TRACE_ID);
    const root = spans.find((span) => span.kind === SpanKind.SERVER);
    expect(root?.name).toBe('POST /api/auth/signup');
    expect(root?.parentSpanContext?.spanId).toBe('53995c3f42cd8ad8');
    expect(root?.attributes).toMatchObject({
      'http.route': '/api/auth/signup',
      'http.response.status_code': 201,
    });

    const children = spans.filter((span) => span.parentSpanContext?.spanId === root?.spanContext().spanId);
    const names = children.map((span) => span.name);
    // The account written to DynamoDB, the session kept in Redis, the welcome e-mail queued in SQS.
    expect(names.some((name) => name.startsWith('DynamoDB.'))).toBe(true);
    expect(names.some((name) => name.startsWith('redis '))).toBe(true);
    expect(names).toContain('SQS.SendMessage');
    const dynamo = children.find((span) => span.name.startsWith('DynamoDB.'));
    expect(dynamo?.kind).toBe(SpanKind.CLIENT);
    expect(dynamo?.attributes).toMatchObject({
      'rpc.system': 'aws-api',
      'rpc.service': 'DynamoDB',
      'cloud.region': 'us-east-1',
    });
    expect(children.find((span) => span.name.startsWith('redis '))?.attributes).toMatchObject({
      'db.system.name': 'redis',
    });

    // Every log line of the request names the trace as X-Ray writes it.
    const served = lines.find((line) => line.msg === 'request' && line.route === '/api/auth/signup');
    expect(served).toMatchObject({ traceId: ROOT, status: 201 });
  });

  it('starts a trace X-Ray accepts when none came in: the id begins with the time in seconds', async () => {
    const before = Math.floor(Date.now() / 1000);
    const response = await fetch(`${server.url}/api/products`);
    expect(response.status).toBe(200);
    const root = exporter
      .getFinishedSpans()
      .find((span) => span.kind === SpanKind.SERVER && span.name === 'GET /api/products');
    expect(root).toBeDefined();
    const traceId = root?.spanContext().traceId ?? '';
    expect(Number.parseInt(traceId.slice(0, 8), 16)).toBeGreaterThanOrEqual(before);
    expect(Number.parseInt(traceId.slice(0, 8), 16)).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
    const served = lines.find((line) => line.msg === 'request' && line.route === '/api/products');
    expect(served?.traceId).toBe(`1-${traceId.slice(0, 8)}-${traceId.slice(8)}`);
  });

  it('keeps the id of a trace the load balancer started (Root only), and logs it', async () => {
    const root = '1-67891234-0123456789abcdef01234567';
    // Liveness: a route that calls nothing, so the trace holds the server span alone.
    const response = await fetch(`${server.url}/api/health/live`, {
      headers: { 'x-amzn-trace-id': `Root=${root}` },
    });
    expect(response.status).toBe(200);
    const [span, ...others] = spansOf('678912340123456789abcdef01234567');
    expect(others).toEqual([]);
    expect(span?.name).toBe('GET /api/health/live');
    expect(span?.parentSpanContext).toBeUndefined();
    expect(lines.find((line) => line.msg === 'request' && line.route === '/api/health/live')?.traceId).toBe(
      root,
    );
  });

  it('names the server span after the matched route, not the path', async () => {
    const response = await fetch(`${server.url}/api/products/01ARZ3NDEKTSV4RRFFQ69G5FAV`, {
      headers: { 'x-amzn-trace-id': TRACE.replace('53995c3f42cd8ad8', '53995c3f42cd8ad9') },
    });
    expect(response.status).toBe(404);
    const root = spansOf(TRACE_ID).find(
      (span) => span.kind === SpanKind.SERVER && span.parentSpanContext?.spanId === '53995c3f42cd8ad9',
    );
    expect(root?.name).toBe('GET /api/products/:id');
    expect(root?.attributes['http.response.status_code']).toBe(404);
  });
});

describe('sampling', () => {
  it('records a share of new traces, follows a caller that decided, and logs the trace id either way', async () => {
    const endpoint = inject('dynamodbEndpoint');
    const tableName = await freshTable('otel');
    const exporter = new InMemorySpanExporter();
    const { lines, logger } = capturedLogs();
    const config = loadConfig(
      {},
      { stage: 'startup', port: 0, tableName, dynamodbEndpoint: endpoint, local: true, traceSampleRate: 0 },
    );
    const server = await startContainerServer(config, { spanExporter: exporter, logger });
    try {
      const unsampled = '1-67891235-0123456789abcdef01234567';
      expect(
        (await fetch(`${server.url}/api/health`, { headers: { 'x-amzn-trace-id': `Root=${unsampled}` } }))
          .status,
      ).toBe(200);
      expect(exporter.getFinishedSpans()).toEqual([]);
      expect(lines.find((line) => line.msg === 'request')?.traceId).toBe(unsampled);

      const decided = `Root=1-67891236-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1`;
      expect(
        (await fetch(`${server.url}/api/products`, { headers: { 'x-amzn-trace-id': decided } })).status,
      ).toBe(200);
      const spans = exporter.getFinishedSpans();
      expect(spans.map((span) => span.name)).toContain('GET /api/products');
      expect(spans.every((span) => span.spanContext().traceId === '678912360123456789abcdef01234567')).toBe(
        true,
      );
    } finally {
      await server.shutdown('test over');
    }
  });
});

describe('the trace header handed on to SQS', () => {
  it('names the active span as the parent, so the worker’s segment hangs under the request', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = startTracing({
      serviceName: 'test',
      region: 'us-east-1',
      stage: 'scaling',
      sampleRate: 1,
      exporter,
    });
    try {
      expect(outgoingTraceHeader()).toBeUndefined();
      const header = tracer().startActiveSpan('enqueue', (span) => {
        const value = outgoingTraceHeader();
        span.end();
        return { value, span: span.spanContext() };
      });
      expect(header.value).toBe(
        `Root=1-${header.span.traceId.slice(0, 8)}-${header.span.traceId.slice(8)};Parent=${header.span.spanId};Sampled=1`,
      );
    } finally {
      await tracing.shutdown();
    }
  });
});
