/**
 * Traces recorded in this process, for the ops console: the last few hundred requests and jobs,
 * each with the calls it made as child spans. Served locally; deployments send their spans to a
 * collector (X-Ray) instead.
 */

/** A request served, or a job the worker ran. */
export type TraceKind = 'request' | 'job';

/** One trace in the list: its root span. */
export interface TraceSummary {
  readonly traceId: string;
  readonly kind: TraceKind;
  /** `GET /api/products/:id` for a request, `job send-welcome-email` for a job. */
  readonly name: string;
  /** The matched route pattern of a request; the job type of a job. */
  readonly route: string;
  /** The HTTP status of a request; absent for a job. */
  readonly status?: number | undefined;
  /** True when the root or any child span failed. */
  readonly error: boolean;
  readonly durationMs: number;
  /** ISO-8601 UTC. */
  readonly startedAt: string;
  readonly spanCount: number;
  /** The traces this one follows from: a job's link to the request that enqueued it. */
  readonly links: TraceLink[];
}

export interface TraceLink {
  readonly traceId: string;
  readonly spanId: string;
}

/** One span of a trace, placed on the trace's time line. */
export interface TraceSpan {
  readonly spanId: string;
  readonly parentSpanId?: string | undefined;
  readonly name: string;
  /** server, client, consumer, producer or internal. */
  readonly kind: string;
  /** Milliseconds after the trace's first span started. */
  readonly offsetMs: number;
  readonly durationMs: number;
  readonly error?: string | undefined;
  readonly attributes: Record<string, string | number | boolean>;
}

export interface TraceDetail extends TraceSummary {
  /** In start order. */
  readonly spans: TraceSpan[];
  /** Traces linked to this one: the jobs a request enqueued. */
  readonly linkedFrom: TraceSummary[];
}

export type TraceOrder = 'recent' | 'slowest';

export interface TraceQuery {
  /** Only traces whose route contains this text. */
  readonly route?: string | undefined;
  /** `404`, or a class: `5xx`; `error` for any failed trace. */
  readonly status?: string | undefined;
  /** Newest first by default. */
  readonly sort?: TraceOrder | undefined;
  readonly limit?: number | undefined;
}

/** Where the process keeps its recent traces. */
export interface TraceStore {
  /** How many traces it keeps: the oldest goes when a new one comes. */
  readonly capacity: number;
  list(query?: TraceQuery): TraceSummary[];
  get(traceId: string): TraceDetail | undefined;
}
