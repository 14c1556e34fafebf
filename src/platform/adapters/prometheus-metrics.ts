import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Metrics } from '../../contracts/ports.js';

/**
 * Prometheus metrics for one running app: request counts and latency by route and status, the
 * business counters the app reports, and which stage is running. One registry per app instance,
 * so tests can run several apps in one process.
 */
export class PrometheusMetrics implements Metrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly business = new Counter({
    name: 'growstack_business_events_total',
    help: 'Sign-ups, logins, orders placed and analytics events recorded',
    labelNames: ['event'] as const,
    registers: [this.registry],
  });

  private readonly cacheHits = new Counter({
    name: 'cache_hits_total',
    help: 'Cache hits',
    registers: [this.registry],
  });
  private readonly cacheMisses = new Counter({
    name: 'cache_misses_total',
    help: 'Cache misses',
    registers: [this.registry],
  });

  private readonly jobsProcessed = new Counter({
    name: 'jobs_processed_total',
    help: 'Jobs that ran to completion',
    registers: [this.registry],
  });
  private readonly jobsFailed = new Counter({
    name: 'jobs_failed_total',
    help: 'Job attempts that failed (retried or dead-lettered)',
    registers: [this.registry],
  });
  private readonly jobsRetried = new Counter({
    name: 'jobs_retried_total',
    help: 'Job deliveries after the first',
    registers: [this.registry],
  });
  private depthSource: (() => Promise<{ queue: number; deadLetters: number }>) | undefined;

  /** Counters the local worker reports each batch to. */
  readonly jobCounters = {
    processed: (count: number) => this.jobsProcessed.inc(count),
    failed: (count: number) => this.jobsFailed.inc(count),
    retried: (count: number) => this.jobsRetried.inc(count),
  };

  /** Where queue_depth and dlq_depth are read from at each scrape. */
  watchQueues(source: () => Promise<{ queue: number; deadLetters: number }>): void {
    this.depthSource = source;
  }

  /** Counters the cache adapter reports hits and misses to. */
  readonly cacheCounters = { hit: () => this.cacheHits.inc(), miss: () => this.cacheMisses.inc() };

  constructor(stage: string) {
    new Gauge({
      name: 'growstack_stage_info',
      help: 'The stage this process runs (always 1; the stage is the label)',
      labelNames: ['stage'] as const,
      registers: [this.registry],
    }).set({ stage }, 1);
    // Counters are totals since the start: with the uptime, one scrape gives average rates.
    const started = performance.now();
    new Gauge({
      name: 'growstack_uptime_seconds',
      help: 'Seconds since this process began counting',
      registers: [this.registry],
      collect() {
        this.set((performance.now() - started) / 1000);
      },
    });
    const metrics = this;
    for (const [name, pick] of [
      ['queue_depth', 'queue'],
      ['dlq_depth', 'deadLetters'],
    ] as const) {
      new Gauge({
        name,
        help: name === 'queue_depth' ? 'Jobs waiting in the queue' : 'Jobs in the dead-letter queue',
        registers: [this.registry],
        async collect() {
          if (!metrics.depthSource) return;
          try {
            this.set((await metrics.depthSource())[pick]);
          } catch {
            // The queue is unreachable: the depth is unknown (NaN), and /metrics still answers.
            this.set(Number.NaN);
          }
        },
      });
    }
  }

  count(name: Parameters<Metrics['count']>[0], value = 1): void {
    this.business.inc({ event: name }, value);
  }

  /** Times every request; the route label is the matched pattern, never the raw path. */
  middleware(): MiddlewareHandler {
    return async (c, next) => {
      const started = performance.now();
      await next();
      this.observeRequest(c.req.method, routePath(c), c.res.status, (performance.now() - started) / 1000);
    };
  }

  /** The counter and histogram of each method, route and status, bound once (prom-client hashes labels). */
  private readonly bound = new Map<string, { count(): void; observe(seconds: number): void }>();

  /** One answered request, by its matched route pattern (the middleware's, or a replayed answer's). */
  observeRequest(method: string, pattern: string, status: number, seconds: number): void {
    const route = pattern === '/*' || !pattern ? 'unmatched' : pattern;
    const key = `${method} ${status} ${route}`;
    let series = this.bound.get(key);
    if (!series) {
      const labels = { method, route, status: String(status) };
      const requests = this.requests.labels(labels);
      const duration = this.duration.labels(labels);
      series = { count: () => requests.inc(), observe: (value) => duration.observe(value) };
      this.bound.set(key, series);
    }
    series.count();
    series.observe(seconds);
  }

  /** The exposition text for GET /metrics. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
