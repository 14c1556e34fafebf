import { useState } from 'react';
import type { TopProductsAnswer } from '../../../src/app/analytics/analytics-routes.js';
import { api, type StageRow } from '../api.js';
import { ErrorMessage, Loading } from '../components/feedback.js';
import { useLoad } from '../use-api.js';

/**
 * Top products in the last hour or day, from the analytics event stream (enterprise): GET
 * /api/ops/analytics/top-products. Stages that count events in the table say so, and ask nothing.
 */
export function TopProductsPanel({ stage }: { stage: StageRow }) {
  const streamed = stage.analytics === 'kinesis';
  const [window, setWindow] = useState<'hour' | 'day'>('hour');
  const [report, reload] = useLoad(
    (signal) =>
      streamed
        ? api<TopProductsAnswer>(`/api/ops/analytics/top-products?window=${window}`, { signal })
        : Promise.resolve(null),
    [window, streamed],
  );
  return (
    <section aria-labelledby="top-products-title" className="panel" data-panel="top-products">
      <h2 id="top-products-title">Top products</h2>
      {report.state === 'loading' && <Loading what="the top products" />}
      {report.state === 'error' && <ErrorMessage error={report.error} onRetry={reload} />}
      {report.state === 'ready' && report.value === null && (
        <p className="chart-unavailable">
          Real-time analytics come with the enterprise stage's event stream; this stage counts events per
          product in the table.
        </p>
      )}
      {report.state === 'ready' && report.value !== null && (
        <>
          <p>
            <label>
              Window{' '}
              <select value={window} onChange={(event) => setWindow(event.target.value as 'hour' | 'day')}>
                <option value="hour">last hour</option>
                <option value="day">last day</option>
              </select>
            </label>{' '}
            <button type="button" onClick={reload}>
              Refresh
            </button>{' '}
            <span className="muted">
              {report.value.events.toLocaleString('en-US')} product events, answered by {report.value.source}
            </span>
          </p>
          <table className="top-products">
            <caption className="visually-hidden">Top products in the last {window}</caption>
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col">Views</th>
                <th scope="col">Added to cart</th>
                <th scope="col">Checkouts</th>
              </tr>
            </thead>
            <tbody>
              {report.value.products.map((product) => (
                <tr key={product.productId}>
                  <th scope="row">
                    {product.name ?? (
                      <>
                        <code>{product.productId}</code> <span className="muted">(deleted)</span>
                      </>
                    )}
                  </th>
                  <td>{product.views}</td>
                  <td>{product.addsToCart}</td>
                  <td>{product.checkouts}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
