import { useEffect, useState } from 'react';
import {
  type Point,
  parsePrometheus,
  pointBetween,
  readScrape,
  type Scrape,
} from '../../../src/platform/prometheus-scrape.js';
import type { StageRow } from '../api.js';
import { type ChartSeries, TimeChart } from './time-chart.js';

const POLL_MS = 2000;
/** Three minutes of points at one every two seconds. */
const KEEP = 90;

const REQUESTS: readonly ChartSeries[] = [{ label: 'requests/s', color: '#0b5cad' }];
const LATENCY: readonly ChartSeries[] = [
  { label: 'p50', color: '#0b5cad' },
  { label: 'p95', color: '#c05600', dash: [6, 3] },
  { label: 'p99', color: '#8f1f6b', dash: [2, 3] },
];
const ERRORS: readonly ChartSeries[] = [
  { label: '5xx', color: '#b3261e' },
  { label: '4xx', color: '#7a5600', dash: [6, 3] },
];
const CACHE: readonly ChartSeries[] = [{ label: 'hit ratio', color: '#14613b' }];
const QUEUES: readonly ChartSeries[] = [
  { label: 'queue', color: '#0b5cad' },
  { label: 'dead letters', color: '#b3261e', dash: [6, 3] },
];

type Poll = {
  readonly error: string | null;
  readonly last: Scrape | null;
  readonly points: readonly Point[];
};

/** Polls /metrics and keeps the last few minutes of points. */
function useMetrics(): Poll {
  const [poll, setPoll] = useState<Poll>({ error: null, last: null, points: [] });
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const response = await fetch('/metrics', { headers: { accept: 'text/plain' }, cache: 'no-store' });
        if (!response.ok)
          throw new Error(
            `/metrics answered ${response.status}: this deployment does not serve Prometheus metrics.`,
          );
        const scrape = readScrape(parsePrometheus(await response.text()), Date.now());
        if (!stopped)
          setPoll((state) => ({
            error: null,
            last: scrape,
            points: state.last
              ? [...state.points, pointBetween(state.last, scrape)].slice(-KEEP)
              : state.points,
          }));
      } catch (error) {
        if (!stopped)
          setPoll((state) => ({ ...state, error: error instanceof Error ? error.message : String(error) }));
      }
      if (!stopped) timer = setTimeout(tick, POLL_MS);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);
  return poll;
}

function column(points: readonly Point[], pick: (point: Point) => number | null): (number | null)[] {
  return points.map(pick);
}

export function LiveCharts({ stage }: { stage: StageRow }) {
  const { error, last, points } = useMetrics();
  const times = column(points, (point) => point.t);
  const noCache =
    stage.cache === 'none'
      ? `Not in this stage: the ${stage.stage} stage runs no cache.`
      : last && !last.cache
        ? 'Not in this stage: /metrics reports no cache series.'
        : undefined;
  const noQueue =
    stage.jobs === 'inline'
      ? `Not in this stage: jobs run inline in the request at the ${stage.stage} stage.`
      : last && !last.queue
        ? 'Not in this stage: /metrics reports no queue series.'
        : undefined;

  return (
    <section aria-labelledby="live-title" className="panel">
      <h2 id="live-title">Live traffic</h2>
      <p className="muted" role="status">
        {error
          ? ''
          : points.length === 0
            ? 'Collecting the first samples…'
            : `From /metrics every ${POLL_MS / 1000} s; the console's own polling is left out.`}
      </p>
      {error && (
        <div className="notice notice-error" role="alert">
          <p>{error}</p>
        </div>
      )}
      <div className="charts">
        <TimeChart
          id="request-rate"
          title="Request rate"
          unit="req/s"
          series={REQUESTS}
          data={[times, column(points, (p) => p.requestRate)]}
        />
        <TimeChart
          id="latency"
          title="Latency p50 / p95 / p99"
          unit="ms"
          series={LATENCY}
          data={[
            times,
            column(points, (p) => p.p50),
            column(points, (p) => p.p95),
            column(points, (p) => p.p99),
          ]}
        />
        <TimeChart
          id="error-rate"
          title="Error rate, share of requests"
          unit="%"
          series={ERRORS}
          data={[times, column(points, (p) => p.errorRate5xx), column(points, (p) => p.errorRate4xx)]}
        />
        <TimeChart
          id="cache-hit-ratio"
          title="Cache hit ratio"
          unit="%"
          series={CACHE}
          unavailable={noCache}
          data={[times, column(points, (p) => p.cacheHitRatio)]}
        />
        <TimeChart
          id="queue-depth"
          title="Job queue and dead-letter queue depth"
          unit="jobs"
          series={QUEUES}
          unavailable={noQueue}
          data={[times, column(points, (p) => p.queueDepth), column(points, (p) => p.dlqDepth)]}
        />
      </div>
    </section>
  );
}
