import { useEffect, useState } from 'react';
import type { TraceSummary } from '../../../src/contracts/traces.js';
import { ApiError, api } from '../api.js';
import { ErrorMessage, Loading } from '../components/feedback.js';
import { useLoad } from '../use-api.js';
import { formatMs, TraceWaterfall } from './trace-waterfall.js';

interface TraceList {
  readonly items: TraceSummary[];
  readonly capacity: number;
}

const STATUSES = ['', '2xx', '3xx', '4xx', '5xx', 'error'] as const;
const INTERVALS = [2, 5, 10, 30] as const;

/**
 * Calls `refresh` every `seconds` while `on`, and only while the tab is visible: a hidden tab asks
 * nothing (browsers throttle its timers anyway), and shows fresh traces as soon as it is back.
 * Returns what it is doing, for the toggle's label.
 */
function useAutoRefresh(on: boolean, seconds: number, refresh: () => void): 'off' | 'on' | 'paused' {
  const [hidden, setHidden] = useState(() => document.visibilityState === 'hidden');
  useEffect(() => {
    const onVisibility = () => setHidden(document.visibilityState === 'hidden');
    document.addEventListener('visibilitychange', onVisibility);
    return () => document.removeEventListener('visibilitychange', onVisibility);
  }, []);
  useEffect(() => {
    if (!on || hidden) return;
    refresh();
    const timer = window.setInterval(refresh, seconds * 1000);
    return () => window.clearInterval(timer);
  }, [on, hidden, seconds, refresh]);
  return !on ? 'off' : hidden ? 'paused' : 'on';
}

/**
 * The requests and jobs this process traced (GET /api/ops/traces, local runs): a filterable list,
 * newest or slowest first, and a waterfall of the one picked, with its DynamoDB, SQS, SES, Redis,
 * Kinesis and search calls. Deployments trace to X-Ray instead, and the panel says so.
 */
export function TracesPanel() {
  const [route, setRoute] = useState('');
  const [status, setStatus] = useState<(typeof STATUSES)[number]>('');
  const [slowest, setSlowest] = useState(false);
  const [open, setOpen] = useState<string | undefined>();
  const query = new URLSearchParams({ limit: '100', ...(slowest ? { sort: 'slowest' } : {}) });
  if (route.trim()) query.set('route', route.trim());
  if (status) query.set('status', status);
  const [list, reload] = useLoad(
    (signal) => api<TraceList>(`/api/ops/traces?${query}`, { signal }),
    [query.toString()],
  );
  const [auto, setAuto] = useState(false);
  const [every, setEvery] = useState<(typeof INTERVALS)[number]>(5);
  const refreshing = useAutoRefresh(auto, every, reload);
  // While a refresh loads, the last list stays on screen instead of flickering to "loading".
  const [shown, setShown] = useState<TraceList | undefined>();
  useEffect(() => {
    if (list.state === 'ready') setShown(list.value);
  }, [list]);
  // Another filter is another list: the previous one is not shown while it loads.
  const key = query.toString();
  const [shownKey, setShownKey] = useState(key);
  if (shownKey !== key) {
    setShownKey(key);
    setShown(undefined);
  }
  const notRecorded = list.state === 'error' && list.error instanceof ApiError && list.error.status === 404;
  return (
    <section aria-labelledby="traces-title" className="panel" data-panel="traces">
      <h2 id="traces-title">Traces</h2>
      {notRecorded ? (
        <p className="chart-unavailable">
          Traces are kept in memory when the app runs locally (<code>npm start</code>); deployments send them
          to X-Ray.
        </p>
      ) : (
        <>
          <form
            className="trace-filters"
            aria-label="Filter traces"
            onSubmit={(event) => event.preventDefault()}
          >
            <label>
              Route{' '}
              <input
                value={route}
                onChange={(event) => setRoute(event.target.value)}
                placeholder="/api/products"
              />
            </label>{' '}
            <label>
              Status{' '}
              <select
                value={status}
                onChange={(event) => setStatus(event.target.value as (typeof STATUSES)[number])}
              >
                {STATUSES.map((value) => (
                  <option key={value} value={value}>
                    {value || 'any'}
                  </option>
                ))}
              </select>
            </label>{' '}
            <label>
              <input
                type="checkbox"
                checked={slowest}
                onChange={(event) => setSlowest(event.target.checked)}
              />{' '}
              Slowest first
            </label>{' '}
            <button type="button" onClick={reload}>
              Refresh
            </button>{' '}
            <label data-auto-refresh={refreshing}>
              <input type="checkbox" checked={auto} onChange={(event) => setAuto(event.target.checked)} />{' '}
              Auto-refresh
            </label>{' '}
            <label>
              <span className="visually-hidden">Auto-refresh interval</span>
              <select
                value={every}
                disabled={!auto}
                onChange={(event) => setEvery(Number(event.target.value) as (typeof INTERVALS)[number])}
              >
                {INTERVALS.map((seconds) => (
                  <option key={seconds} value={seconds}>
                    every {seconds} s
                  </option>
                ))}
              </select>
            </label>
            {refreshing === 'paused' && <span className="muted"> (paused while the tab is hidden)</span>}
          </form>
          {list.state === 'loading' && !shown && <Loading what="the traces" />}
          {list.state === 'error' && <ErrorMessage error={list.error} onRetry={reload} />}
          {shown && list.state !== 'error' && (
            <div className="table-scroll">
              <table className="traces">
                <caption className="muted">
                  {shown.items.length} shown; the last {shown.capacity} requests and jobs are kept
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    <th scope="col">Route</th>
                    <th scope="col">Status</th>
                    <th scope="col">Duration</th>
                    <th scope="col">Spans</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.items.map((trace) => (
                    <tr
                      key={trace.traceId}
                      aria-selected={trace.traceId === open}
                      data-trace-row={trace.route}
                    >
                      <td>{new Date(trace.startedAt).toLocaleTimeString('en-GB')}</td>
                      <th scope="row">
                        <button type="button" className="link-button" onClick={() => setOpen(trace.traceId)}>
                          {trace.name}
                        </button>
                      </th>
                      <td className={trace.error ? 'trace-failed' : undefined}>
                        {trace.status ?? (trace.error ? 'failed' : 'done')}
                      </td>
                      <td>{formatMs(trace.durationMs)}</td>
                      <td>{trace.spanCount}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {open && <TraceWaterfall traceId={open} onOpen={setOpen} />}
        </>
      )}
    </section>
  );
}
