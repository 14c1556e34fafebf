import { MetricUnit, Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Metrics } from '../../contracts/ports.js';

/**
 * Metrics on Lambda: CloudWatch embedded metric format written to stdout by Powertools, which
 * CloudWatch turns into metrics without any API call. Each request flushes its own metrics, so
 * nothing is lost when the execution environment is frozen.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format.html
 */
export class EmfMetrics implements Metrics {
  private readonly metrics: PowertoolsMetrics;
  /** Business counts wait in the buffer until the request ends. */
  private pending = false;

  constructor(stage: string) {
    this.metrics = new PowertoolsMetrics({
      namespace: 'Growstack',
      serviceName: 'storefront',
      defaultDimensions: { stage },
    });
  }

  /** Counters the cache adapter reports hits and misses to. */
  readonly cacheCounters = {
    hit: () => this.count('cache_hits'),
    miss: () => this.count('cache_misses'),
  };

  count(name: Parameters<Metrics['count']>[0], value = 1): void {
    this.metrics.addMetric(name, MetricUnit.Count, value);
    this.pending = true;
  }

  /** Request count, 5xx count and latency per route pattern (bounded cardinality). */
  middleware(): MiddlewareHandler {
    return async (c, next) => {
      const started = performance.now();
      await next();
      // A single-metric logger writes each metric at once, with the route as its dimension.
      const route = this.metrics.singleMetric();
      route.addDimensions({ route: routePath(c) || 'unmatched' });
      route.addMetric('requests', MetricUnit.Count, 1);
      route.addMetric('latency', MetricUnit.Milliseconds, performance.now() - started);
      if (c.res.status >= 500) route.addMetric('serverErrors', MetricUnit.Count, 1);
      if (this.pending) {
        this.metrics.publishStoredMetrics();
        this.pending = false;
      }
    };
  }

  /** Lambda has no scrape endpoint: /metrics says where the metrics are instead. */
  async render(): Promise<{ contentType: string; body: string }> {
    return {
      contentType: 'text/plain; charset=utf-8',
      body: '# Metrics of this deployment are in CloudWatch, namespace Growstack (embedded metric format).\n',
    };
  }
}
