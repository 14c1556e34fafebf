import type { CostCurve } from './cost-curve.js';
import { curveFacts, curveSvg } from './curve-svg.js';
import { costCell, incompleteSummary, provenanceFooter } from './format-plan.js';
import { money } from './money.js';
import type { Plan } from './plan.js';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** Distinguishable colours for up to 24 services (Okabe-Ito first: safe for colour blindness). */
const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#D55E00',
  '#CC79A7',
  '#56B4E9',
  '#F0E442',
  '#000000',
  '#8c564b',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#e377c2',
  '#393b79',
  '#637939',
  '#8c6d31',
  '#843c39',
  '#7b4173',
  '#3182bd',
];

/** Stacked bars by service per stage, drawn as inline SVG: the report needs nothing from a network. */
function chart(plan: Plan, services: string[]): string {
  const width = 760;
  const height = 360;
  const left = 80;
  const bottom = 40;
  const top = 20;
  const max = Math.max(1, ...plan.stages.map((stage) => stage.totalUsd));
  const barWidth = Math.min(120, (width - left - 20) / plan.stages.length - 30);
  const y = (value: number) => top + (height - top - bottom) * (1 - value / max);
  const parts: string[] = [];
  for (let tick = 0; tick <= 4; tick++) {
    const value = (max / 4) * tick;
    parts.push(
      `<line x1="${left}" x2="${width - 10}" y1="${y(value)}" y2="${y(value)}" stroke="#ddd"/>`,
      `<text x="${left - 6}" y="${y(value) + 4}" text-anchor="end" font-size="11">${escapeHtml(money(value).replace(/\.\d\d$/, ''))}</text>`,
    );
  }
  plan.stages.forEach((stage, index) => {
    const x = left + 20 + index * (barWidth + 30);
    let base = 0;
    for (const service of stage.services
      .slice()
      .sort((a, b) => services.indexOf(a.service) - services.indexOf(b.service))) {
      if (service.totalUsd <= 0) continue;
      const colour = PALETTE[services.indexOf(service.service) % PALETTE.length];
      parts.push(
        `<rect x="${x}" y="${y(base + service.totalUsd)}" width="${barWidth}" height="${Math.max(0.5, y(base) - y(base + service.totalUsd))}" fill="${colour}"><title>${escapeHtml(`${stage.stage} · ${service.service}: ${money(service.totalUsd)}`)}</title></rect>`,
      );
      base += service.totalUsd;
    }
    parts.push(
      `<text x="${x + barWidth / 2}" y="${height - bottom + 16}" text-anchor="middle" font-size="12">${escapeHtml(stage.stage)}</text>`,
      `<text x="${x + barWidth / 2}" y="${y(stage.totalUsd) - 4}" text-anchor="middle" font-size="11">${escapeHtml(money(stage.totalUsd))}</text>`,
    );
  });
  return `<svg role="img" aria-labelledby="chart-title" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px"><title id="chart-title">Monthly cost by service, stacked, per stage</title>${parts.join('')}</svg>`;
}

/** A self-contained HTML report of a plan: inline styles and SVG charts, nothing fetched. */
export function planHtml(plan: Plan, generatedAt: Date, curve?: CostCurve): string {
  const curveSection = curve
    ? `<section><h2>Monthly cost against users</h2><figure>${curveSvg(curve)}<figcaption>Lines: each stage's monthly cost under this profile's other assumptions; shaded: the seed's quoted range over the users the stage is sized for; dashed: where a stage stops fitting; rings: where the next stage costs no more. Costs under $1 a month are drawn at $1.</figcaption></figure><ul class="notes">${curveFacts(
        curve,
      )
        .map((fact) => `<li>${escapeHtml(fact)}</li>`)
        .join('')}</ul></section>`
    : '';
  const services = [
    ...new Set(plan.stages.flatMap((stage) => stage.services.map((service) => service.service))),
  ];
  const legend = services
    .map(
      (service, index) =>
        `<li><span class="swatch" style="background:${PALETTE[index % PALETTE.length]}"></span>${escapeHtml(service)}</li>`,
    )
    .join('');
  const header = plan.stages.map((stage) => `<th scope="col">${escapeHtml(stage.stage)}</th>`).join('');
  const serviceRows = services
    .map((service) => {
      const cells = plan.stages
        .map((stage) => {
          const cost = stage.services.find((candidate) => candidate.service === service);
          return `<td>${cost ? escapeHtml(costCell(cost)) : '–'}</td>`;
        })
        .join('');
      return `<tr><th scope="row">${escapeHtml(service)}</th>${cells}</tr>`;
    })
    .join('');
  const summaryRow = (label: string, cell: (stage: Plan['stages'][number]) => string) =>
    `<tr class="sum"><th scope="row">${escapeHtml(label)}</th>${plan.stages.map((stage) => `<td>${escapeHtml(cell(stage))}</td>`).join('')}</tr>`;
  const details = plan.stages
    .map((stage) => {
      const lines = stage.services
        .flatMap((service) =>
          service.lines.map(
            (line) =>
              `<tr><td>${escapeHtml(service.service)}</td><td>${escapeHtml(line.item)}</td><td>${line.quantity.toLocaleString('en-US', { maximumFractionDigits: 3 })}</td><td>${escapeHtml(line.unit)}</td><td>${line.unitPriceUsd}</td><td>${escapeHtml(line.kind)}</td><td>${money(line.usd)}</td></tr>`,
          ),
        )
        .join('');
      const unpriced = stage.unpriced
        .map(
          (line) =>
            `<tr class="unpriced"><td>${escapeHtml(line.service)}</td><td>${escapeHtml(line.item)}</td><td>${line.quantity === undefined ? '' : line.quantity.toLocaleString('en-US', { maximumFractionDigits: 3 })}</td><td colspan="3">${escapeHtml(`${line.region}: ${line.reason}`)}</td><td>not priced</td></tr>`,
        )
        .join('');
      const notes = [
        ...stage.notes,
        ...stage.services.flatMap((service) => service.notes.map((note) => `${service.service}: ${note}`)),
      ]
        .map((note) => `<li>${escapeHtml(note)}</li>`)
        .join('');
      const heading = stage.complete
        ? `${money(stage.totalUsd)} a month`
        : `at least ${money(stage.totalUsd)} a month (incomplete: ${incompleteSummary(stage)})`;
      return `<section><h2>${escapeHtml(stage.stage)}: ${escapeHtml(heading)}</h2>
<p>${stage.meetsNeeds ? 'Fits' : 'Does not fit'} this profile (${escapeHtml(stage.fit)}). Reference architecture: ${escapeHtml(stage.reference.quote)} — this plan is ${stage.reference.verdict} it: ${escapeHtml(stage.reference.reason)}.</p>
<table><thead><tr><th>service</th><th>item</th><th>quantity</th><th>unit</th><th>unit price (USD)</th><th>kind</th><th>USD</th></tr></thead><tbody>${lines}${unpriced}</tbody></table>
<ul class="notes">${notes}</ul></section>`;
    })
    .join('\n');
  const assumptions = Object.entries(plan.profile)
    .map(
      ([key, value]) =>
        `<tr><th scope="row">${escapeHtml(key)}</th><td>${escapeHtml(String(value))}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Growstack cost plan: ${plan.profile.users.toLocaleString('en-US')} users</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:64rem;padding:0 1rem;color:#1a1a1a}
table{border-collapse:collapse;margin:1rem 0;width:100%}th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:right}
th:first-child,td:first-child,td:nth-child(2){text-align:left}tr.sum th,tr.sum td{font-weight:600}
.legend{display:flex;flex-wrap:wrap;gap:.3rem 1rem;list-style:none;padding:0}.swatch{display:inline-block;width:.9rem;height:.9rem;margin-right:.3rem;vertical-align:middle}
.notes{color:#444;font-size:.9em}tr.unpriced td{color:#a00}
</style></head><body>
<h1>Monthly cost per stage for ${plan.profile.users.toLocaleString('en-US')} users</h1>
<p>Region ${escapeHtml(plan.region)} · generated ${escapeHtml(generatedAt.toISOString())} · cheapest stage that meets the profile: <strong>${escapeHtml(plan.cheapest === null ? 'none' : `${plan.cheapest}${plan.cheapestCertain ? '' : ' (by its priced lines: not certain while lines are not priced)'}`)}</strong></p>
<figure>${chart(plan, services)}<figcaption><ul class="legend">${legend}</ul></figcaption></figure>
<table><thead><tr><th></th>${header}</tr></thead><tbody>${serviceRows}
${summaryRow('total a month', (stage) => (stage.complete ? money(stage.totalUsd) : `≥${money(stage.totalUsd)} (incomplete)`))}
${summaryRow('not priced', (stage) => (stage.complete ? '–' : `${stage.unpriced.length} lines`))}
${summaryRow('per 1,000 users', (stage) => money(stage.perThousandUsersUsd))}
${summaryRow('fixed', (stage) => money(stage.fixedUsd))}
${summaryRow('usage-driven', (stage) => money(stage.usageUsd))}
${summaryRow('reference range', (stage) => `${money(stage.reference.minUsd)}–${money(stage.reference.maxUsd)}`)}
${summaryRow('priced from', (stage) => stage.source)}
</tbody></table>
${curveSection}
${details}
<section><h2>Assumptions</h2><table><tbody>${assumptions}</tbody></table></section>
<section><h2>Prices</h2><ul class="notes">${provenanceFooter(plan, generatedAt)
    .map((line) => `<li>${escapeHtml(line)}</li>`)
    .join('')}</ul></section>
</body></html>
`;
}
