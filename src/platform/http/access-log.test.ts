import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../test/support/storefront.js';
import { BufferedAccessLog } from './access-log.js';
import { createHttpApp } from './create-http-app.js';

const TRACE = 'Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1';

function setUp(level = 'info', flushAfterMs = 0) {
  const chunks: string[] = [];
  const log = new BufferedAccessLog({
    level,
    base: { stage: 'growing' },
    write: (chunk) => chunks.push(chunk),
    flushAfterMs,
  });
  const api = new Hono();
  api.get('/products/:id', (c) => c.json({ id: c.req.param('id') }));
  api.get('/broken', () => {
    throw new Error('boom');
  });
  const app = createHttpApp({
    api,
    logger: silentLogger,
    accessLog: log,
    metrics: {
      middleware: () => (_c, next) => next(),
      render: async () => ({ contentType: 'text/plain', body: '' }),
    },
  });
  const lines = () => chunks.join('').split('\n').filter(Boolean);
  return { app, log, chunks, lines };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('the access log', () => {
  it('writes one small line per request with the fields an operator filters on', async () => {
    const { app, lines } = setUp();
    const response = await app.request('/api/products/p-42', { headers: { 'x-amzn-trace-id': TRACE } });
    expect(response.status).toBe(200);
    await nextTurn();
    expect(lines()).toHaveLength(1);
    const line = lines()[0] as string;
    const fields = JSON.parse(line);
    expect(Object.keys(fields).sort()).toEqual(
      [
        'level',
        'time',
        'service',
        'stage',
        'msg',
        'requestId',
        'traceId',
        'method',
        'route',
        'path',
        'status',
        'ms',
      ].sort(),
    );
    expect(fields).toMatchObject({
      level: 30,
      service: 'growstack',
      stage: 'growing',
      msg: 'request',
      requestId: response.headers.get('x-request-id'),
      traceId: '1-67891233-abcdef012345678912345678',
      method: 'GET',
      route: '/api/products/:id',
      path: '/api/products/p-42',
      status: 200,
    });
    expect(new Date(fields.time).toISOString()).toBe(fields.time);
    expect(typeof fields.ms).toBe('number');
    expect(Buffer.byteLength(line)).toBeLessThan(400);
  });

  it('writes off the request path: nothing during the request, every line of a turn in one write', async () => {
    const { app, chunks, lines } = setUp();
    await Promise.all([app.request('/api/products/a'), app.request('/api/products/b')]);
    expect(chunks).toEqual([]);
    await nextTurn();
    expect(chunks).toHaveLength(1);
    expect(lines().map((line) => JSON.parse(line).path)).toEqual(['/api/products/a', '/api/products/b']);
  });

  it('by default writes the lines of 50 ms together, whatever the turns they came in', async () => {
    const { app, chunks, lines } = setUp('info', 50);
    await app.request('/api/products/a');
    await nextTurn();
    await app.request('/api/products/b');
    await nextTurn();
    expect(chunks).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(chunks).toHaveLength(1);
    expect(lines().map((line) => JSON.parse(line).path)).toEqual(['/api/products/a', '/api/products/b']);
  });

  it('marks a failed request at error level, and keeps only those at level warn', async () => {
    const { app, lines } = setUp('warn');
    await app.request('/api/products/a');
    expect((await app.request('/api/broken')).status).toBe(500);
    await nextTurn();
    expect(lines().map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ level: 50, msg: 'request failed', route: '/api/broken', status: 500 }),
    ]);
  });

  it('writes nothing when the log level is silent', async () => {
    const { app, chunks } = setUp('silent');
    await app.request('/api/products/a');
    await nextTurn();
    expect(chunks).toEqual([]);
  });

  it('writes what is still buffered when closed', async () => {
    const { app, log, lines } = setUp();
    await app.request('/api/products/a');
    log.close();
    expect(lines()).toHaveLength(1);
  });
});
