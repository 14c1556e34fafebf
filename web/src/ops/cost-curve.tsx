import type { OpsCostReport } from '../../../src/contracts/ports.js';

type Curve = NonNullable<OpsCostReport['curve']>;

/**
 * Each stage's monthly cost against users, the drawing `growstack plan --html` makes: the server
 * renders the SVG from the same curve (its text is escaped there), the facts follow in words, and
 * stages whose totals leave lines not priced are named, since their lines are lower bounds.
 */
export function CostCurve({ curve }: { curve: Curve }) {
  const lowerBounds = curve.stages
    .map((stage) => stage.stage)
    .filter((stage) =>
      curve.points.some((point) => point.stages.some((entry) => entry.stage === stage && !entry.complete)),
    );
  return (
    <figure className="chart" data-chart="cost-curve" aria-labelledby="cost-curve-title">
      <figcaption id="cost-curve-title">
        Monthly cost of each stage against users (log scales, 1,000 to 10,000,000), under the usage profile's
        other defaults. Shaded: the seed's quoted range over the users the stage is sized for; dashed: where a
        stage stops fitting; rings: where the next stage costs no more.
      </figcaption>
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: the cost model's own SVG, every text in it escaped where it is drawn */}
      <div className="curve-svg" dangerouslySetInnerHTML={{ __html: curve.svg }} />
      <ul className="curve-facts">
        {curve.facts.map((fact) => (
          <li key={fact}>{fact}</li>
        ))}
      </ul>
      {lowerBounds.length > 0 && (
        <p className="notice" data-lower-bounds={lowerBounds.join(' ')}>
          Lower bounds: {lowerBounds.join(', ')} {lowerBounds.length === 1 ? 'has' : 'have'} lines the price
          data cannot price, so {lowerBounds.length === 1 ? 'its line is' : 'their lines are'} the priced
          lines' sum, not the whole bill.
        </p>
      )}
    </figure>
  );
}
