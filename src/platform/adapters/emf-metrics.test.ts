import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EmfMetrics } from './emf-metrics.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** Everything Powertools wrote to stdout, parsed as EMF documents. */
function captureEmf(): () => Record<string, unknown>[] {
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  return () =>
    lines
      .flatMap((line) => line.split('\n'))
      .filter((line) => line.includes('CloudWatchMetrics'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('EMF metrics on Lambda', () => {
  it('writes request count and latency per route pattern, and business counts, as EMF', async () => {
    const read = captureEmf();
    const metrics = new EmfMetrics('startup');
    const app = new Hono();
    app.use(metrics.middleware());
    app.get('/api/products/:id', (c) => {
      metrics.count('orders_placed');
      return c.text('ok');
    });
    await app.request('/api/products/abc');
    const documents = read();
    const requests = documents.find((doc) => 'requests' in doc);
    expect(requests).toMatchObject({ route: '/api/products/:id', stage: 'startup', requests: 1 });
    expect(JSON.stringify(requests)).toContain('"Namespace":"Growstack"');
    expect(documents.find((doc) => 'latency' in doc)).toBeDefined();
    expect(documents.find((doc) => 'orders_placed' in doc)).toMatchObject({ orders_placed: 1 });
  });
});
