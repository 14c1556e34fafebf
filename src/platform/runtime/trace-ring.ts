import { type HrTime, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type {
  TraceDetail,
  TraceLink,
  TraceQuery,
  TraceSpan,
  TraceStore,
  TraceSummary,
} from '../../contracts/traces.js';

/** How many traces the ring keeps unless told otherwise: the ops console's list. */
export const DEFAULT_TRACE_CAPACITY = 500;

/** A trace's spans cap: a runaway job must not make one trace hold the memory of many. */
const MAX_SPANS_PER_TRACE = 1000;

/** Requests of the trace view itself would push out everything else while it is open. */
const UNRECORDED_ROUTES = /^\/api\/ops\/traces/;

interface Entry {
  readonly spans: ReadableSpan[];
  root?: ReadableSpan;
}

const KIND_NAMES: Record<SpanKind, string> = {
  [SpanKind.INTERNAL]: 'internal',
  [SpanKind.SERVER]: 'server',
  [SpanKind.CLIENT]: 'client',
  [SpanKind.PRODUCER]: 'producer',
  [SpanKind.CONSUMER]: 'consumer',
};

const millis = (time: HrTime): number => time[0] * 1000 + time[1] / 1e6;
const round = (ms: number): number => Math.round(ms * 1000) / 1000;

/** A root span: none above it in this process (a parent from a header is another hop's). */
function isRoot(span: ReadableSpan): boolean {
  return !span.parentSpanContext || span.parentSpanContext.isRemote === true;
}

function failed(span: ReadableSpan): boolean {
  return span.status.code === SpanStatusCode.ERROR;
}

function statusMatches(filter: string, summary: TraceSummary): boolean {
  if (filter === 'error') return summary.error;
  if (summary.status === undefined) return false;
  const code = String(summary.status);
  return /^[1-5]xx$/i.test(filter) ? code[0] === filter[0] : code === filter;
}

/**
 * Keeps the newest traces of this process in memory, spans grouped by trace id, for the ops
 * console. A span processor beside the exporter's: spans arrive as they end, children before
 * their root, and a trace shows in the list once its root has ended. The oldest trace goes when
 * a new one would exceed the capacity.
 */
export class TraceRing implements SpanProcessor, TraceStore {
  private readonly traces = new Map<string, Entry>();

  constructor(readonly capacity = DEFAULT_TRACE_CAPACITY) {}

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    const { traceId } = span.spanContext();
    let entry = this.traces.get(traceId);
    if (!entry) {
      entry = { spans: [] };
      this.traces.set(traceId, entry);
      while (this.traces.size > this.capacity) {
        const oldest = this.traces.keys().next().value;
        if (oldest === undefined) break;
        this.traces.delete(oldest);
      }
    }
    if (entry.spans.length < MAX_SPANS_PER_TRACE) entry.spans.push(span);
    if (isRoot(span)) {
      const route = span.attributes['http.route'];
      if (typeof route === 'string' && UNRECORDED_ROUTES.test(route)) this.traces.delete(traceId);
      else entry.root = span;
    }
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.traces.clear();
    return Promise.resolve();
  }

  list(query: TraceQuery = {}): TraceSummary[] {
    let found: TraceSummary[] = [];
    for (const [traceId, entry] of this.traces) {
      if (!entry.root) continue;
      const summary = this.summarize(traceId, entry, entry.root);
      if (query.route && !summary.route.includes(query.route)) continue;
      if (query.status && !statusMatches(query.status, summary)) continue;
      found.push(summary);
    }
    // The map holds traces in the order they began to arrive; a root's start orders them.
    found.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    if (query.sort === 'slowest') found = found.sort((a, b) => b.durationMs - a.durationMs);
    return query.limit === undefined ? found : found.slice(0, query.limit);
  }

  get(traceId: string): TraceDetail | undefined {
    const entry = this.traces.get(traceId);
    if (!entry?.root) return undefined;
    const spans = [...entry.spans].sort((a, b) => millis(a.startTime) - millis(b.startTime));
    const start = millis(spans[0]?.startTime ?? entry.root.startTime);
    return {
      ...this.summarize(traceId, entry, entry.root),
      spans: spans.map((span) => this.toSpan(span, start)),
      linkedFrom: this.list().filter((other) => other.links.some((link) => link.traceId === traceId)),
    };
  }

  private summarize(traceId: string, entry: Entry, root: ReadableSpan): TraceSummary {
    const job = root.kind === SpanKind.CONSUMER;
    const status = root.attributes['http.response.status_code'];
    const route = root.attributes[job ? 'job.type' : 'http.route'];
    const links: TraceLink[] = root.links.map((link) => ({
      traceId: link.context.traceId,
      spanId: link.context.spanId,
    }));
    return {
      traceId,
      kind: job ? 'job' : 'request',
      name: root.name,
      route: typeof route === 'string' ? route : root.name,
      status: typeof status === 'number' ? status : undefined,
      error: entry.spans.some(failed),
      durationMs: round(millis(root.duration)),
      startedAt: new Date(millis(root.startTime)).toISOString(),
      spanCount: entry.spans.length,
      links,
    };
  }

  private toSpan(span: ReadableSpan, start: number): TraceSpan {
    const attributes: Record<string, string | number | boolean> = {};
    for (const [key, value] of Object.entries(span.attributes)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
        attributes[key] = value;
    }
    const exception = span.events.find((event) => event.name === 'exception');
    const message = exception?.attributes?.['exception.message'];
    return {
      spanId: span.spanContext().spanId,
      parentSpanId: isRoot(span) ? undefined : span.parentSpanContext?.spanId,
      name: span.name,
      kind: KIND_NAMES[span.kind],
      offsetMs: round(millis(span.startTime) - start),
      durationMs: round(millis(span.duration)),
      error: failed(span)
        ? span.status.message || (typeof message === 'string' ? message : 'error')
        : undefined,
      attributes,
    };
  }
}
