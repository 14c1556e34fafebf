import type { TraceDetail, TraceSpan, TraceSummary } from '../../../src/contracts/traces.js';
import { api } from '../api.js';
import { ErrorMessage, Loading } from '../components/feedback.js';
import { useLoad } from '../use-api.js';

/** Spans in tree order (each after its parent), with their depth for indenting. */
function inTreeOrder(spans: readonly TraceSpan[]): { span: TraceSpan; depth: number }[] {
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map<string | undefined, TraceSpan[]>();
  for (const span of spans) {
    const parent = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : undefined;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const ordered: { span: TraceSpan; depth: number }[] = [];
  const visit = (parent: string | undefined, depth: number) => {
    for (const span of children.get(parent) ?? []) {
      ordered.push({ span, depth });
      visit(span.spanId, depth + 1);
    }
  };
  visit(undefined, 0);
  return ordered;
}

export const formatMs = (ms: number): string => (ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`);

/** What a span called, for its tooltip: the service and operation, or the route. */
function describeSpan(span: TraceSpan): string {
  return Object.entries(span.attributes)
    .map(([key, value]) => `${key}: ${value}`)
    .join('\n');
}

/** One trace as a waterfall: each span a bar placed on the trace's time line. */
export function TraceWaterfall({ traceId, onOpen }: { traceId: string; onOpen: (traceId: string) => void }) {
  const [trace, reload] = useLoad(
    (signal) => api<TraceDetail>(`/api/ops/traces/${traceId}`, { signal }),
    [traceId],
  );
  if (trace.state === 'loading') return <Loading what="the trace" />;
  if (trace.state === 'error') return <ErrorMessage error={trace.error} onRetry={reload} />;
  const detail = trace.value;
  const total = Math.max(
    ...detail.spans.map((span) => span.offsetMs + span.durationMs),
    detail.durationMs,
    0.001,
  );
  const related = (label: string, items: readonly Pick<TraceSummary, 'traceId'>[], names?: string[]) =>
    items.length > 0 && (
      <p>
        {label}{' '}
        {items.map((item, index) => (
          <button
            key={item.traceId}
            type="button"
            className="button-secondary"
            onClick={() => onOpen(item.traceId)}
          >
            {names?.[index] ?? item.traceId.slice(0, 12)}
          </button>
        ))}
      </p>
    );
  return (
    <div className="waterfall" data-trace={detail.traceId}>
      <h3>
        {detail.name}{' '}
        <span className="muted">
          {detail.status ?? (detail.error ? 'failed' : 'done')} · {formatMs(detail.durationMs)} ·{' '}
          {detail.spanCount} spans · trace <code>{detail.traceId}</code>
        </span>
      </h3>
      {related('Enqueued by', detail.links)}
      {related(
        'Jobs it enqueued:',
        detail.linkedFrom,
        detail.linkedFrom.map((job) => job.name),
      )}
      <ol className="waterfall-spans" aria-label={`Spans of ${detail.name}`}>
        {inTreeOrder(detail.spans).map(({ span, depth }) => (
          <li
            key={span.spanId}
            className={span.error ? 'waterfall-span span-error' : 'waterfall-span'}
            data-span-kind={span.kind}
            title={describeSpan(span)}
          >
            <span className="span-name" style={{ paddingLeft: `${depth * 1}rem` }}>
              {span.name}
            </span>
            <span className="span-track" aria-hidden="true">
              <span
                className="span-bar"
                style={{
                  left: `${(span.offsetMs / total) * 100}%`,
                  width: `${Math.max((span.durationMs / total) * 100, 0.5)}%`,
                }}
              />
            </span>
            <span className="span-duration">
              {formatMs(span.durationMs)}
              {span.error && <span className="span-error-text"> {span.error}</span>}
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}
