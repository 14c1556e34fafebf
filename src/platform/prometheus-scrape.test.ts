import { describe, expect, it } from 'vitest';
import { parsePrometheus, pointBetween, quantile, readScrape } from './prometheus-scrape.js';

const scrape = (lines: string[]) => lines.join('\n');

describe('reading /metrics in the browser', () => {
  it('parses samples with labels, escapes and +Inf, skipping comments', () => {
    const samples = parsePrometheus(
      scrape([
        '# HELP http_requests_total HTTP requests',
        '# TYPE http_requests_total counter',
        'http_requests_total{method="GET",route="/api/products",status="200"} 12',
        'http_request_duration_seconds_bucket{le="+Inf",route="/x \\"y\\""} 3',
        'queue_depth 4 1700000000000',
      ]),
    );
    expect(samples).toEqual([
      {
        name: 'http_requests_total',
        labels: { method: 'GET', route: '/api/products', status: '200' },
        value: 12,
      },
      { name: 'http_request_duration_seconds_bucket', labels: { le: '+Inf', route: '/x "y"' }, value: 3 },
      { name: 'queue_depth', labels: {}, value: 4 },
    ]);
  });

  it('interpolates quantiles inside the bucket, as histogram_quantile does', () => {
    const before = new Map([
      [0.01, 0],
      [0.1, 0],
      [Number.POSITIVE_INFINITY, 0],
    ]);
    const after = new Map([
      [0.01, 50],
      [0.1, 100],
      [Number.POSITIVE_INFINITY, 100],
    ]);
    expect(quantile(0.5, before, after)).toBeCloseTo(0.01);
    expect(quantile(0.75, before, after)).toBeCloseTo(0.055);
    expect(quantile(0.5, after, after)).toBeNull();
  });

  it('turns two scrapes into rates, leaving out the console’s own polling of /metrics', () => {
    const text = (ok: number, failed: number, polls: number, hits: number) =>
      scrape([
        `http_requests_total{method="GET",route="/api/products",status="200"} ${ok}`,
        `http_requests_total{method="POST",route="/api/orders",status="500"} ${failed}`,
        `http_requests_total{method="GET",route="/metrics",status="200"} ${polls}`,
        `cache_hits_total ${hits}`,
        'cache_misses_total 10',
        'growstack_stage_info{stage="growing"} 1',
      ]);
    const first = readScrape(parsePrometheus(text(10, 0, 5, 0)), 0);
    const second = readScrape(parsePrometheus(text(28, 2, 6, 30)), 2000);
    const point = pointBetween(first, second);
    expect(second.stage).toBe('growing');
    expect(point.requestRate).toBe(10);
    expect(point.errorRate5xx).toBe(10);
    expect(point.cacheHitRatio).toBe(100);
    expect(point.queueDepth).toBeNull();
  });
});
