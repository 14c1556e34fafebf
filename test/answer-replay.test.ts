import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { replayOf } from '../src/platform/http/answer-replay.js';
import { type RunningServer, startHttpServer } from '../src/platform/runtime/http-server.js';
import { capturedLogs } from './support/fixtures.js';
import { createTestStorefront, type TestStorefront } from './support/storefront.js';

// The Node server answers a repeated cacheable read from the answer the app last sent for that
// URL (src/platform/http/answer-replay.ts). Over a real socket, as a browser meets it.

let shop: TestStorefront;
let server: RunningServer;
const logs = capturedLogs();

beforeAll(async () => {
  shop = await createTestStorefront({ stage: 'growing', logger: logs.logger });
  server = await startHttpServer(shop.runtime.app, { port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await server?.close();
  await shop?.queue?.stop();
  shop?.runtime.close();
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url.replace('localhost', '127.0.0.1')}${path}`, { headers });

/** Every header but those that belong to one request (its id) or one moment (the date). */
const lasting = (response: Response) =>
  Object.fromEntries([...response.headers].filter(([name]) => name !== 'date' && name !== 'x-request-id'));

function replayed(): { serve: { mockRestore(): void }; last: () => boolean } {
  const replay = replayOf(shop.runtime.app);
  if (!replay) throw new Error('the growing stage replays catalog reads');
  const serve = vi.spyOn(replay, 'serve');
  return { serve, last: () => serve.mock.results.at(-1)?.value === true };
}

describe('replaying cached catalog reads at the growing stage', () => {
  it('sends the very answer the app sent, headers and bytes, with a request id of its own', async () => {
    const product = await shop.product();
    const path = `/api/products/${product.id}`;
    const { serve, last } = replayed();
    const first = await get(path);
    expect(first.status).toBe(200);
    expect(last()).toBe(false);
    const again = await get(path, { 'x-request-id': 'caller-chosen-id-1' });
    expect(last()).toBe(true);
    expect(again.status).toBe(200);
    expect(lasting(again)).toEqual({ ...lasting(first), 'x-cache': 'hit' });
    expect(await again.text()).toBe(await first.text());
    expect(again.headers.get('x-request-id')).toBe('caller-chosen-id-1');
    const fresh = await get(path, { 'x-request-id': 'not allowed: spaces' });
    expect(last()).toBe(true);
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    // Reported as the app reports a request: one access-log line, and the route's metrics.
    const line = logs.lines.find((entry) => entry.requestId === 'caller-chosen-id-1');
    expect(line).toMatchObject({ msg: 'request', route: '/api/products/:id', path, status: 200 });
    const metrics = await (await get('/metrics')).text();
    expect(metrics).toMatch(
      /http_requests_total\{method="GET",route="\/api\/products\/:id",status="200"\} [3-9]/,
    );
    serve.mockRestore();
  });

  it("answers a client that holds the ETag with a 304, the same headers but the body's", async () => {
    const path = '/api/products?limit=3';
    const { serve, last } = replayed();
    const first = await get(path);
    const etag = first.headers.get('etag') as string;
    const fromApp = await get(path, { 'if-none-match': `W/"other", ${etag}` });
    const again = await get(path, { 'if-none-match': etag });
    expect(last()).toBe(true);
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const { 'content-type': _type, 'content-length': _length, ...withoutBody } = lasting(first);
    expect(lasting(again)).toEqual({ ...withoutBody, 'x-cache': 'hit' });
    expect(fromApp.status).toBe(304);
    serve.mockRestore();
  });

  it('never sends an answer older than a write on this instance', async () => {
    const product = await shop.product({ name: 'Before the write' });
    const path = `/api/products/${product.id}`;
    await get(path);
    expect(((await (await get(path)).json()) as { name: string }).name).toBe('Before the write');
    const admin = await shop.adminToken();
    const changed = await shop.call('PATCH', path, { token: admin, body: { name: 'After the write' } });
    expect(changed.status).toBe(200);
    const { last, serve } = replayed();
    expect(((await (await get(path)).json()) as { name: string }).name).toBe('After the write');
    expect(last()).toBe(false);
    serve.mockRestore();
  });

  it('lets a request with credentials, or one the trace header asks to trace, go through the app', async () => {
    const product = await shop.product();
    const path = `/api/products/${product.id}`;
    await get(path);
    const { last, serve } = replayed();
    await get(path);
    expect(last()).toBe(true);
    await get(path, { authorization: 'Bearer not-a-token' });
    expect(last()).toBe(false);
    await get(path, { 'x-amzn-trace-id': 'Root=1-67891233-abcdef012345678912345678;Sampled=1' });
    // With no tracer registered in this suite, the header alone does not force the app's path.
    expect(last()).toBe(true);
    serve.mockRestore();
  });
});

describe('where answers are not replayed', () => {
  it('with a rate limit (each request is counted and told its remaining count)', async () => {
    const limited = await createTestStorefront({ stage: 'growing', rateLimit: 100 });
    expect(replayOf(limited.runtime.app)).toBeUndefined();
    await limited.queue?.stop();
    limited.runtime.close();
  });

  it.each([
    ['startup', 'no cache'],
    ['scaling', 'a cache shared by instances whose writes this one cannot see'],
  ] as const)('at the %s stage (%s)', async (stage, _why) => {
    const other = await createTestStorefront({ stage });
    const product = await other.product();
    const running = await startHttpServer(other.runtime.app, { port: 0, host: '127.0.0.1' });
    try {
      const url = `${running.url.replace('localhost', '127.0.0.1')}/api/products/${product.id}`;
      expect((await fetch(url)).status).toBe(200);
      expect((await fetch(url)).status).toBe(200);
      expect(replayOf(other.runtime.app)?.find(`/api/products/${product.id}`)).toBeUndefined();
    } finally {
      await running.close();
      await other.queue?.stop();
      other.runtime.close();
    }
  });
});
