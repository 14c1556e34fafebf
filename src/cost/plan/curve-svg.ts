import type { Stage } from '../../contracts/stages.js';
import { type CostCurve, CURVE_MAX_USERS, CURVE_MIN_USERS } from './cost-curve.js';
import { money } from './money.js';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
const users = (count: number) => count.toLocaleString('en-US');
const whole = (usd: number) => money(usd).replace(/\.\d\d$/, '');

const STAGE_COLOURS: Record<Stage, string> = {
  startup: '#0072B2',
  growing: '#E69F00',
  scaling: '#009E73',
  enterprise: '#CC79A7',
};

/**
 * Each stage's monthly cost against users, both axes on a log scale, as inline SVG: the seed's
 * quoted range per stage as a shaded band over the users it is sized for, a dashed line where the
 * stage stops fitting, and a ring where the next stage becomes the cheaper one.
 */
export function curveSvg(curve: CostCurve): string {
  const width = 760;
  const height = 400;
  const left = 70;
  const right = 110;
  const top = 20;
  const bottom = 44;
  const totals = curve.points.flatMap((point) => point.stages.map((stage) => stage.totalUsd));
  const quotes = curve.stages.flatMap((stage) => [stage.quote.minUsd, stage.quote.maxUsd]);
  const low = 10 ** Math.floor(Math.log10(Math.max(1, Math.min(...totals, ...quotes))));
  const high = 10 ** Math.ceil(Math.log10(Math.max(10, ...totals, ...quotes)));
  const x = (count: number) =>
    left +
    ((width - left - right) * Math.log10(count / CURVE_MIN_USERS)) /
      Math.log10(CURVE_MAX_USERS / CURVE_MIN_USERS);
  const y = (usd: number) =>
    top + (height - top - bottom) * (1 - Math.log10(Math.max(usd, low) / low) / Math.log10(high / low));
  const parts: string[] = [];
  for (let tick = CURVE_MIN_USERS; tick <= CURVE_MAX_USERS; tick *= 10)
    parts.push(
      `<line x1="${x(tick)}" x2="${x(tick)}" y1="${top}" y2="${height - bottom}" stroke="#eee"/>`,
      `<text x="${x(tick)}" y="${height - bottom + 16}" text-anchor="middle" font-size="11">${escapeHtml(users(tick))}</text>`,
    );
  for (let tick = low; tick <= high; tick *= 10)
    parts.push(
      `<line x1="${left}" x2="${width - right}" y1="${y(tick)}" y2="${y(tick)}" stroke="#eee"/>`,
      `<text x="${left - 6}" y="${y(tick) + 4}" text-anchor="end" font-size="11">${escapeHtml(whole(tick))}</text>`,
    );
  parts.push(
    `<text x="${(left + width - right) / 2}" y="${height - 6}" text-anchor="middle" font-size="12">monthly active users (log scale)</text>`,
  );
  curve.stages.forEach((stage, index) => {
    const colour = STAGE_COLOURS[stage.stage];
    const from = Math.max(
      CURVE_MIN_USERS,
      index === 0 ? CURVE_MIN_USERS : (curve.stages[index - 1]?.stopsFittingAt ?? CURVE_MIN_USERS),
    );
    const to = Math.min(CURVE_MAX_USERS, stage.stopsFittingAt ?? CURVE_MAX_USERS);
    parts.push(
      `<rect class="quote-band" data-stage="${stage.stage}" x="${x(from)}" y="${y(stage.quote.maxUsd)}" width="${Math.max(1, x(to) - x(from))}" height="${Math.max(1, y(stage.quote.minUsd) - y(stage.quote.maxUsd))}" fill="${colour}" fill-opacity="0.15"><title>${escapeHtml(`${stage.stage}: the seed quotes ${whole(stage.quote.minUsd)}-${whole(stage.quote.maxUsd)} a month`)}</title></rect>`,
    );
    const path = curve.points
      .map((point) => {
        const total = point.stages.find((entry) => entry.stage === stage.stage)?.totalUsd ?? 0;
        return `${x(point.users).toFixed(1)},${y(total).toFixed(1)}`;
      })
      .join(' ');
    // A legend in the right margin, one stage a row (the lines' ends overlap where stages converge).
    parts.push(
      `<line x1="${width - right + 8}" x2="${width - right + 26}" y1="${top + 8 + index * 18}" y2="${top + 8 + index * 18}" stroke="${colour}" stroke-width="2"/>`,
      `<text x="${width - right + 30}" y="${top + 12 + index * 18}" font-size="12">${escapeHtml(stage.stage)}</text>`,
    );
    parts.push(
      `<polyline class="stage-cost" data-stage="${stage.stage}" points="${path}" fill="none" stroke="${colour}" stroke-width="2"><title>${escapeHtml(`${stage.stage}: monthly cost`)}</title></polyline>`,
    );
    if (stage.stopsFittingAt !== null && stage.stopsFittingAt <= CURVE_MAX_USERS)
      parts.push(
        `<line class="stops-fitting" data-stage="${stage.stage}" x1="${x(stage.stopsFittingAt)}" x2="${x(stage.stopsFittingAt)}" y1="${top}" y2="${height - bottom}" stroke="${colour}" stroke-dasharray="4 3"><title>${escapeHtml(`${stage.stage} stops fitting past ${users(stage.stopsFittingAt)} users`)}</title></line>`,
      );
    if (stage.nextCheaperFrom !== null) {
      const next = curve.stages[index + 1];
      const at = curve.points.reduce((best, point) =>
        Math.abs(Math.log(point.users / stage.nextCheaperFrom!)) <
        Math.abs(Math.log(best.users / stage.nextCheaperFrom!))
          ? point
          : best,
      );
      const total = at.stages.find((entry) => entry.stage === stage.stage)?.totalUsd ?? 0;
      parts.push(
        `<circle class="next-cheaper" data-stage="${stage.stage}" cx="${x(stage.nextCheaperFrom)}" cy="${y(total)}" r="6" fill="none" stroke="${colour}" stroke-width="2"><title>${escapeHtml(`${next?.stage ?? 'the next stage'} costs no more than ${stage.stage} from about ${users(stage.nextCheaperFrom)} users`)}</title></circle>`,
      );
    }
  });
  return `<svg role="img" aria-labelledby="curve-title" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px"><title id="curve-title">Monthly cost of each stage against users, log scales, with the seed's quoted range per stage</title>${parts.join('')}</svg>`;
}

/** The same facts in words, for readers who do not see the chart. */
export function curveFacts(curve: CostCurve): string[] {
  return curve.stages.map((stage, index) => {
    const next = curve.stages[index + 1];
    const stops =
      stage.stopsFittingAt === null
        ? 'fits any number of users'
        : `stops fitting past ${users(stage.stopsFittingAt)} users`;
    const cheaper = !next
      ? ''
      : stage.nextCheaperFrom === null
        ? `; ${next.stage} stays dearer up to ${users(CURVE_MAX_USERS)} users`
        : `; ${next.stage} costs no more from about ${users(stage.nextCheaperFrom)} users`;
    return `${stage.stage}: ${stops}${cheaper}; the seed quotes ${whole(stage.quote.minUsd)}-${whole(stage.quote.maxUsd)} a month`;
  });
}
