import { get as httpGet, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
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

/** A GET as a client that decodes nothing itself (fetch would decompress and hide the coding). */
function rawGet(
  base: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    httpGet(`${base.replace('localhost', '127.0.0.1')}${path}`, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
      );
      response.on('error', reject);
    }).on('error', reject);
  });
}

describe('compressed cacheable answers (answer-coding.ts)', () => {
  it('sends the listing in Brotli or gzip as the caller accepts, the same from the app and from replay', async () => {
    for (let index = 0; index < 12; index++) await shop.product({ name: `Compressible lamp ${index}` });
    const path = '/api/products?limit=12';
    const identity = await rawGet(server.url, path);
    expect(identity.status).toBe(200);
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.headers.vary).toBe('accept-encoding');
    const etag = identity.headers.etag as string;
    expect(etag).toMatch(/^"/);
    expect(identity.body.byteLength).toBeGreaterThan(1024);
    const { serve, last } = replayed();
    for (const [accept, coding, decode] of [
      ['gzip, deflate, br, zstd', 'br', brotliDecompressSync],
      ['gzip', 'gzip', gunzipSync],
      ['br;q=0, *', 'gzip', gunzipSync],
    ] as const) {
      // A URL of its own per case, so the first answer of each comes from the app.
      const url = `${path}&case=${encodeURIComponent(accept)}`;
      const fromApp = await rawGet(server.url, url, { 'accept-encoding': accept });
      expect(last(), accept).toBe(false);
      const replayedAnswer = await rawGet(server.url, url, { 'accept-encoding': accept });
      expect(last()).toBe(true);
      for (const answer of [fromApp, replayedAnswer]) {
        expect(answer.status).toBe(200);
        expect(answer.headers['content-encoding']).toBe(coding);
        expect(answer.headers.vary).toBe('accept-encoding');
        expect(Number(answer.headers['content-length'])).toBe(answer.body.byteLength);
        expect(answer.body.byteLength).toBeLessThan(identity.body.byteLength / 2);
        expect(decode(answer.body).equals(identity.body)).toBe(true);
        // A coded representation is not the identity bytes: its tag is the same one, weak.
        expect(answer.headers.etag).toBe(`W/${etag}`);
      }
    }
    // Replayed without coding for a caller that accepts none, and a 304 for either tag.
    const plain = await rawGet(server.url, path, { 'accept-encoding': 'identity' });
    expect(last()).toBe(true);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(identity.body)).toBe(true);
    const notModified = await rawGet(server.url, path, {
      'accept-encoding': 'br',
      'if-none-match': `W/${etag}`,
    });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.etag).toBe(`W/${etag}`);
    expect(notModified.headers['content-encoding']).toBeUndefined();
    expect(notModified.body.byteLength).toBe(0);
    serve.mockRestore();
  });

  it('leaves a small answer as it is', async () => {
    const product = await shop.product();
    const answer = await rawGet(server.url, `/api/products/${product.id}`, { 'accept-encoding': 'br' });
    expect(answer.body.byteLength).toBeLessThan(1024);
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(answer.headers.vary).toBeUndefined();
  });

  it('compresses where a rate limit keeps answers from being replayed', async () => {
    const limited = await createTestStorefront({ stage: 'growing', rateLimit: 100 });
    for (let index = 0; index < 12; index++) await limited.product({ name: `Limited lamp ${index}` });
    const running = await startHttpServer(limited.runtime.app, { port: 0, host: '127.0.0.1' });
    try {
      const answer = await rawGet(running.url, '/api/products?limit=12', { 'accept-encoding': 'gzip' });
      expect(answer.headers['content-encoding']).toBe('gzip');
      expect(answer.headers['ratelimit-policy']).toBeDefined();
      expect(JSON.parse(gunzipSync(answer.body).toString()).items).toHaveLength(12);
    } finally {
      await running.close();
      await limited.queue?.stop();
      limited.runtime.close();
    }
  });
});
