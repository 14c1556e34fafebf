import type { StageMapReport, StageMapView } from '../../../src/contracts/stage-map.js';
import { ApiError, api } from '../api.js';
import { ErrorMessage, Loading } from '../components/feedback.js';
import { useLoad } from '../use-api.js';

const money = (value: number) =>
  `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** The drawing in words: each region's boxes, for screen readers. */
function altOf(view: StageMapView, kind: 'current' | 'next'): string {
  const regions = view.regions.map(
    (region) => `${region.region}: ${region.boxes.map((box) => box.label).join(', ')}`,
  );
  return `Stage map: ${view.stage}${kind === 'next' ? ' (next stage)' : ''}. ${regions.join('. ')}`;
}

/** One stage's map: the SVG the server drew from the templates, and its Mermaid text to copy. */
function StageMapFigure({ view, kind }: { view: StageMapView; kind: 'current' | 'next' }) {
  return (
    <figure className="stage-map" data-map={kind} data-stage={view.stage}>
      <figcaption>
        <span className="stage-name">{view.stage}</span>
        {kind === 'current' ? ' (this stage)' : ' (next stage: additions in green)'}{' '}
        <span className="muted">
          {view.regions.length} region{view.regions.length === 1 ? '' : 's'}, synthesized{' '}
          {new Date(view.synthesizedAt).toLocaleString('en-GB')}
        </span>
      </figcaption>
      {view.stale && (
        <p className="notice" role="status">
          The infrastructure code changed after these templates were synthesized: run{' '}
          <code>npx growstack plan</code> to refresh them.
        </p>
      )}
      {/* An image, not inline markup: nothing in it can run or load, and it scrolls when wide. */}
      <div className="stage-map-drawing">
        <img
          src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(view.svg)}`}
          alt={altOf(view, kind)}
        />
      </div>
      <details>
        <summary>Mermaid</summary>
        <pre className="raw">{view.mermaid}</pre>
      </details>
    </figure>
  );
}

/**
 * The running stage's architecture beside the next stage's, drawn from the synthesized templates
 * the plan prices (GET /api/ops/stage-map), with what the next adds and what it costs a month.
 */
export function StageMapPanel() {
  const [report, reload] = useLoad(
    (signal) =>
      api<StageMapReport>('/api/ops/stage-map', { signal }).catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }),
    [],
  );
  return (
    <section aria-labelledby="stage-map-title" className="panel" data-panel="stage-map">
      <h2 id="stage-map-title">Stage map</h2>
      {report.state === 'loading' && <Loading what="the stage map" />}
      {report.state === 'error' && <ErrorMessage error={report.error} onRetry={reload} />}
      {report.state === 'ready' && report.value === null && (
        <p className="chart-unavailable">
          This deployment keeps no synthesized templates, so no stage map is drawn here;{' '}
          <code>growstack synth</code> writes it into the cloud assembly (<code>stage-map.svg</code>).
        </p>
      )}
      {report.state === 'ready' && report.value !== null && (
        <StageMaps report={report.value} reload={reload} />
      )}
    </section>
  );
}

function StageMaps({ report, reload }: { report: StageMapReport; reload: () => void }) {
  const { diff, next } = report;
  return (
    <>
      {report.missing.length > 0 && (
        <div className="notice" role="status" data-missing={report.missing.join(' ')}>
          <p>
            The synthesized-templates cache holds no templates for {report.missing.join(' or ')}, so{' '}
            {report.missing.length === 1 ? 'its map is' : 'their maps are'} not drawn. Fill it with{' '}
            <code>{report.fillCommand}</code> (it synthesizes each stage once, offline), then{' '}
            <button type="button" onClick={reload}>
              Refresh
            </button>
          </p>
        </div>
      )}
      <div className="stage-maps">
        {report.current && <StageMapFigure view={report.current} kind="current" />}
        {report.nextMap && <StageMapFigure view={report.nextMap} kind="next" />}
      </div>
      {next && (
        <div className="stage-map-next" data-next={next}>
          <p className="advice">
            <strong>
              {next}
              {report.nextMonthly
                ? ` costs ${money(report.nextMonthly.totalUsd)} a month`
                : ': cost not known'}
            </strong>{' '}
            {report.nextMonthly && (
              <span className="muted">
                (fixed {money(report.nextMonthly.fixedUsd)}, usage-driven {money(report.nextMonthly.usageUsd)}
                ): {report.nextMonthlyNote}
              </span>
            )}
            {!report.nextMonthly && <span className="muted">({report.nextMonthlyNote})</span>}
          </p>
          {diff && (
            <>
              <h3>What {next} adds</h3>
              <ul className="stage-map-added" aria-label={`What ${next} adds`}>
                {diff.addedRegions.map((region) => (
                  <li key={region}>the region {region}</li>
                ))}
                {diff.added.map((change) => (
                  <li key={`${change.region}/${change.id}`}>
                    {change.label} <span className="muted">({change.region})</span>
                  </li>
                ))}
              </ul>
              {diff.removed.length > 0 && (
                <p className="muted">
                  Replaced: {diff.removed.map((change) => `${change.label} (${change.region})`).join(', ')}
                </p>
              )}
            </>
          )}
        </div>
      )}
    </>
  );
}
