/** Reads Prometheus text scrapes: shared by the ops console (in the browser) and the stage advisor. */
/** One sample of the Prometheus text exposition format. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses Prometheus text format 0.0.4 (comments and timestamps are skipped). */
export function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = LINE.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const label of (match[2] ?? '').matchAll(LABEL)) {
      labels[label[1]!] = label[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    }
    const value = match[3] === '+Inf' ? Number.POSITIVE_INFINITY : Number(match[3]);
    samples.push({ name: match[1]!, labels, value });
  }
  return samples;
}

/** What the console charts, read from one scrape. */
export interface Scrape {
  readonly at: number;
  readonly requests: number;
  readonly errors5xx: number;
  readonly errors4xx: number;
  /** Requests the per-client rate limiter refused (429). */
  readonly rateLimited: number;
  /** Jobs lost because the queue was unreachable after their change was committed. */
  readonly enqueueFailures: number;
  /** Cumulative count per histogram bucket upper bound, summed over routes. */
  readonly buckets: ReadonlyMap<number, number>;
  /** The same, for product search (GET /api/search) alone. */
  readonly searchBuckets: ReadonlyMap<number, number>;
  /** Analytics events accepted (POST /api/events). */
  readonly eventsRecorded: number;
  readonly cache: { readonly hits: number; readonly misses: number } | null;
  readonly queue: { readonly depth: number; readonly deadLetters: number } | null;
  readonly stage: string | null;
}

/** The console's own polling would dominate a quiet system's numbers: leave /metrics out. */
const isOwnPolling = (labels: Readonly<Record<string, string>>) => labels.route === '/metrics';

export function readScrape(samples: readonly Sample[], at: number): Scrape {
  let requests = 0;
  let errors5xx = 0;
  let errors4xx = 0;
  let rateLimited = 0;
  let enqueueFailures = 0;
  let eventsRecorded = 0;
  const buckets = new Map<number, number>();
  const searchBuckets = new Map<number, number>();
  const single = new Map<string, number>();
  let stage: string | null = null;
  for (const sample of samples) {
    switch (sample.name) {
      case 'http_requests_total': {
        if (isOwnPolling(sample.labels)) break;
        requests += sample.value;
        const status = Number(sample.labels.status);
        if (status >= 500) errors5xx += sample.value;
        else if (status >= 400) errors4xx += sample.value;
        if (status === 429) rateLimited += sample.value;
        break;
      }
      case 'growstack_business_events_total':
        if (sample.labels.event === 'jobs_enqueue_failed') enqueueFailures += sample.value;
        if (sample.labels.event === 'events_recorded') eventsRecorded += sample.value;
        break;
      case 'http_request_duration_seconds_bucket': {
        if (isOwnPolling(sample.labels)) break;
        const le = sample.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(sample.labels.le);
        buckets.set(le, (buckets.get(le) ?? 0) + sample.value);
        if (sample.labels.route === '/api/search')
          searchBuckets.set(le, (searchBuckets.get(le) ?? 0) + sample.value);
        break;
      }
      case 'growstack_stage_info':
        if (sample.value === 1) stage = sample.labels.stage ?? null;
        break;
      default:
        single.set(sample.name, sample.value);
    }
  }
  const hits = single.get('cache_hits_total');
  const misses = single.get('cache_misses_total');
  const depth = single.get('queue_depth');
  const deadLetters = single.get('dlq_depth');
  return {
    at,
    requests,
    errors5xx,
    errors4xx,
    rateLimited,
    enqueueFailures,
    eventsRecorded,
    buckets,
    searchBuckets,
    cache: hits !== undefined && misses !== undefined ? { hits, misses } : null,
    queue: depth !== undefined && deadLetters !== undefined ? { depth, deadLetters } : null,
    stage,
  };
}

/**
 * The q-quantile of the observations between two scrapes, interpolated inside the bucket it falls
 * in, as PromQL's histogram_quantile does. Null when nothing was observed.
 */
export function quantile(
  q: number,
  before: ReadonlyMap<number, number>,
  after: ReadonlyMap<number, number>,
): number | null {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const counts = bounds.map((bound) => (after.get(bound) ?? 0) - (before.get(bound) ?? 0));
  const total = counts[counts.length - 1] ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  for (let index = 0; index < bounds.length; index++) {
    const count = counts[index]!;
    if (count >= rank) {
      const upper = bounds[index]!;
      const lower = index === 0 ? 0 : bounds[index - 1]!;
      // Above the highest finite bucket the best answer is that bucket's bound.
      if (!Number.isFinite(upper)) return lower;
      const below = index === 0 ? 0 : counts[index - 1]!;
      return lower + ((upper - lower) * (rank - below)) / Math.max(count - below, 1e-9);
    }
  }
  return null;
}

/** One point of each chart, from two consecutive scrapes. */
export interface Point {
  readonly t: number;
  readonly requestRate: number;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  readonly errorRate5xx: number | null;
  readonly errorRate4xx: number | null;
  readonly cacheHitRatio: number | null;
  readonly queueDepth: number | null;
  readonly dlqDepth: number | null;
}

export function pointBetween(before: Scrape, after: Scrape): Point {
  const seconds = Math.max((after.at - before.at) / 1000, 0.001);
  // A counter that went down means the server restarted: count from zero.
  const delta = (a: number, b: number) => (b >= a ? b - a : b);
  const requests = delta(before.requests, after.requests);
  const cacheReads =
    after.cache && before.cache
      ? delta(before.cache.hits + before.cache.misses, after.cache.hits + after.cache.misses)
      : 0;
  const toMs = (value: number | null) => (value === null ? null : value * 1000);
  return {
    t: after.at / 1000,
    requestRate: requests / seconds,
    p50: toMs(quantile(0.5, before.buckets, after.buckets)),
    p95: toMs(quantile(0.95, before.buckets, after.buckets)),
    p99: toMs(quantile(0.99, before.buckets, after.buckets)),
    errorRate5xx: requests > 0 ? (100 * delta(before.errors5xx, after.errors5xx)) / requests : null,
    errorRate4xx: requests > 0 ? (100 * delta(before.errors4xx, after.errors4xx)) / requests : null,
    cacheHitRatio:
      after.cache && before.cache && cacheReads > 0
        ? (100 * delta(before.cache.hits, after.cache.hits)) / cacheReads
        : null,
    queueDepth: after.queue?.depth ?? null,
    dlqDepth: after.queue?.deadLetters ?? null,
  };
}
