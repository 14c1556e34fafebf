import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import type { OpsCostReport } from '../../../src/contracts/ports.js';
import { ApiError, api } from '../api.js';
import { ErrorMessage, Loading } from '../components/feedback.js';
import { useLoad } from '../use-api.js';
import { CostCurve } from './cost-curve.js';

const money = (value: number) =>
  `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** Each stage's monthly cost as bars (uPlot): usage-driven stacked on fixed. */
function StageCostChart({ report }: { report: OpsCostReport }) {
  const holder = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = holder.current;
    if (!element) return;
    const stages = report.stages;
    const bars = uPlot.paths.bars?.({ size: [0.6, 80] });
    const chart = new uPlot(
      {
        width: Math.max(element.clientWidth, 240),
        height: 220,
        legend: { show: true, live: false },
        cursor: { show: false },
        scales: {
          x: { time: false, range: [-0.5, stages.length - 0.5] },
          y: { range: (_u, _min, max) => [0, max * 1.1 || 1] },
        },
        axes: [
          {
            stroke: '#495057',
            grid: { show: false },
            splits: () => stages.map((_stage, index) => index),
            values: () => stages.map((stage) => stage.stage),
          },
          {
            stroke: '#495057',
            grid: { stroke: '#e9ecef' },
            size: 64,
            values: (_u, ticks) => ticks.map((tick) => `$${tick.toLocaleString('en-US')}`),
          },
        ],
        series: [
          {},
          // The total is drawn first and the fixed part over it, so the bars read as a stack.
          { label: 'usage-driven', fill: '#56B4E9', stroke: '#0072B2', ...(bars ? { paths: bars } : {}) },
          { label: 'fixed', fill: '#E69F00', stroke: '#9c6b00', ...(bars ? { paths: bars } : {}) },
        ],
      },
      [
        stages.map((_stage, index) => index),
        stages.map((stage) => stage.totalUsd),
        stages.map((stage) => stage.fixedUsd),
      ],
      element,
    );
    const resize = new ResizeObserver(() =>
      chart.setSize({ width: Math.max(element.clientWidth, 240), height: 220 }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [report]);
  return (
    <figure className="chart" data-chart="stage-costs" aria-labelledby="stage-costs-title">
      <figcaption id="stage-costs-title">
        Monthly cost of each stage at this traffic
        {report.stages.some((stage) => !stage.complete) &&
          ` (lower bounds for ${report.stages
            .filter((stage) => !stage.complete)
            .map((stage) => stage.stage)
            .join(' and ')}: lines not priced)`}
      </figcaption>
      <div ref={holder} className="chart-canvas" aria-hidden="true" />
    </figure>
  );
}

/**
 * The monthly cost of each stage at the current traffic and the advisor's recommendation, from the
 * cost model's GET /api/ops/plan. Deployments without it (Lambda) say so rather than show made-up numbers.
 */
export function CostPanel() {
  const [plan, reload] = useLoad(
    (signal) =>
      api<OpsCostReport>('/api/ops/plan', { signal }).catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }),
    [],
  );
  return (
    <section aria-labelledby="cost-title" className="panel" data-panel="cost">
      <h2 id="cost-title">Cost per stage and the advisor's recommendation</h2>
      {plan.state === 'loading' && <Loading what="the cost plan" />}
      {plan.state === 'error' && <ErrorMessage error={plan.error} onRetry={reload} />}
      {plan.state === 'ready' && plan.value === null && (
        <p className="chart-unavailable">
          Cost model not available in this deployment: <code>GET /api/ops/plan</code> answered 404, so no
          costs or recommendation are shown.
        </p>
      )}
      {plan.state === 'ready' && plan.value !== null && (
        <>
          <p className="advice" data-verdict={plan.value.verdict}>
            <strong>{plan.value.summary}</strong>{' '}
            <span className="muted">
              ({plan.value.users.toLocaleString('en-US')} monthly users,{' '}
              {plan.value.usersFrom === 'flag'
                ? 'as given'
                : plan.value.usersFrom === 'profile'
                  ? "the usage profile's figure: too little traffic yet to estimate from"
                  : 'estimated from the request rate'}
              )
            </span>{' '}
            <button type="button" onClick={reload}>
              Refresh
            </button>
          </p>
          {plan.value.templates.missing.length > 0 && (
            <p className="notice" role="status" data-missing={plan.value.templates.missing.join(' ')}>
              Not priced: {plan.value.templates.missing.join(', ')}. The console prices the templates{' '}
              <code>growstack plan</code> synthesized, and its cache holds none for{' '}
              {plan.value.templates.missing.length === 1 ? 'this stage' : 'these stages'}: run{' '}
              <code>{plan.value.templates.fillCommand}</code>, then Refresh.
            </p>
          )}
          {plan.value.templates.stale.length > 0 && (
            <p className="notice" role="status">
              Priced from templates synthesized before the infrastructure code last changed (
              {plan.value.templates.stale.join(', ')}): <code>{plan.value.templates.fillCommand}</code>{' '}
              synthesizes them again.
            </p>
          )}
          <ul className="findings">
            {plan.value.findings.map((finding) => (
              <li key={finding.rule}>
                <code>{finding.rule}</code> ({finding.direction}): {finding.message}
              </li>
            ))}
          </ul>
          <p className="muted" data-prices={plan.value.prices.kind}>
            Prices:{' '}
            {plan.value.prices.kind === 'refreshed'
              ? 'refreshed from the AWS Price List API'
              : 'the snapshot shipped with Growstack'}
            , AWS price data dated {plan.value.prices.oldest} to {plan.value.prices.newest}
            {plan.value.prices.ageDays === null ? '' : ` (the newest ${plan.value.prices.ageDays} days old)`}.
          </p>
          <StageCostChart report={plan.value} />
          {plan.value.curve && <CostCurve curve={plan.value.curve} />}
          <div className="table-scroll">
            <table className="stage-costs">
              <caption className="visually-hidden">Monthly cost per stage</caption>
              <thead>
                <tr>
                  <th scope="col">Stage</th>
                  <th scope="col">Fixed</th>
                  <th scope="col">Usage-driven</th>
                  <th scope="col">Total a month</th>
                </tr>
              </thead>
              <tbody>
                {plan.value.stages.map((stage) => (
                  <tr key={stage.stage} aria-current={stage.stage === plan.value?.stage ? 'true' : undefined}>
                    <th scope="row">
                      {stage.stage}
                      {stage.stage === plan.value?.stage ? ' (running)' : ''}
                    </th>
                    <td>{money(stage.fixedUsd)}</td>
                    <td>{money(stage.usageUsd)}</td>
                    <td data-complete={stage.complete ? 'true' : 'false'}>
                      {stage.complete ? (
                        money(stage.totalUsd)
                      ) : (
                        <>
                          at least {money(stage.totalUsd)}{' '}
                          <span className="incomplete">
                            (incomplete: {stage.unpriced.length}{' '}
                            {stage.unpriced.length === 1 ? 'line' : 'lines'} not priced:{' '}
                            {[...new Set(stage.unpriced.map((line) => `${line.service} ${line.item}`))]
                              .slice(0, 3)
                              .join('; ')}
                            {new Set(stage.unpriced.map((line) => `${line.service} ${line.item}`)).size > 3
                              ? '; …'
                              : ''}
                            )
                          </span>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
