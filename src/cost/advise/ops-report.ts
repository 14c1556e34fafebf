import type { OpsCostReport } from '../../contracts/ports.js';
import { STAGES, type Stage } from '../../contracts/stages.js';
import { type CachedTemplateReader, TEMPLATE_CACHE_FILL_COMMAND } from '../../contracts/templates.js';
import { type CostCurve, costCurve } from '../plan/cost-curve.js';
import { curveFacts, curveSvg } from '../plan/curve-svg.js';
import type { Inventory } from '../plan/inventory.js';
import { parseProfile, type UsageProfile } from '../plan/profile.js';
import { inventoryFromTemplates } from '../plan/template-inventory.js';
import { daysSince, PRICED_REGIONS } from '../prices.js';
import { advise } from './advise.js';

/**
 * The ops console's cost panel from one scrape of the app's own metrics, priced from the same
 * inventory the plan prices: each stage's synthesized templates, read from the plan's template
 * cache (never synthesized here, so a running server never loads the CDK). A stage the cache does
 * not hold is left unpriced and named, with the command that fills the cache.
 */
export function opsCostReport(
  metricsText: string,
  runningRegion: string,
  readTemplates: CachedTemplateReader,
  today: Date = new Date(),
): OpsCostReport {
  // The catalog prices these regions; elsewhere the console shows us-east-1 prices.
  const region = PRICED_REGIONS.includes(runningRegion) ? runningRegion : 'us-east-1';
  const inventories = new Map<Stage, Inventory>();
  const missing: Stage[] = [];
  const stale: Stage[] = [];
  for (const stage of STAGES) {
    const cached = readTemplates(stage);
    if (!cached) {
      missing.push(stage);
      continue;
    }
    inventories.set(stage, inventoryFromTemplates(cached.templates));
    if (cached.stale) stale.push(stage);
  }
  const profile = parseProfile({});
  const advice = advise({ metricsText, profile, region, inventories });
  // The advisor compares the running stage with the one it recommends: both must be priced.
  const unpriced = [...new Set([advice.stage, advice.recommendedStage])].filter((stage) =>
    missing.includes(stage),
  );
  const summary =
    unpriced.length === 0
      ? advice.summary
      : `${advice.verdict === 'stay' ? `${advice.stage} still fits` : `move from ${advice.stage} to ${advice.recommendedStage}`}; not priced: the templates of ${unpriced.join(' and ')} are not cached (run ${TEMPLATE_CACHE_FILL_COMMAND})`;
  return {
    stage: advice.stage,
    users: advice.users,
    usersFrom: advice.usersFrom,
    verdict: advice.verdict,
    recommendedStage: advice.recommendedStage,
    summary,
    findings: advice.findings,
    stages: advice.plan.stages.map((stage) => ({
      stage: stage.stage,
      totalUsd: stage.totalUsd,
      fixedUsd: stage.fixedUsd,
      usageUsd: stage.usageUsd,
      source: stage.source,
      fit: stage.fit,
      // A total with lines not priced is a lower bound: the console says so and names them.
      complete: stage.complete,
      unpriced: [
        ...new Map(
          stage.unpriced.map(({ service, item, region, reason }) => [
            `${service}|${item}|${region}`,
            { service, item, region, reason },
          ]),
        ).values(),
      ],
    })),
    curve: inventories.size === 0 ? null : curveOf(profile, region, inventories),
    prices: {
      kind: advice.plan.prices.kind,
      oldest: advice.plan.prices.oldest,
      newest: advice.plan.prices.newest,
      ageDays: daysSince(advice.plan.prices.newest, today) ?? null,
    },
    templates: { missing, stale, fillCommand: TEMPLATE_CACHE_FILL_COMMAND },
  };
}

let lastCurve: { key: string; curve: OpsCostReport['curve'] } | undefined;

/**
 * The plan's cost curve (`growstack plan --html`) under the default profile: its points, the
 * same SVG and its facts in words. It does not depend on the measured traffic, so the last one is
 * kept until the inventories or the region change (about 40 plans go into one curve).
 */
function curveOf(
  profile: UsageProfile,
  region: string,
  inventories: ReadonlyMap<Stage, Inventory>,
): OpsCostReport['curve'] {
  const key = JSON.stringify([region, [...inventories]]);
  if (lastCurve?.key === key) return lastCurve.curve;
  const curve: CostCurve = costCurve({ profile, region, inventories });
  const served = {
    points: curve.points,
    stages: curve.stages,
    svg: curveSvg(curve),
    facts: curveFacts(curve),
  };
  lastCurve = { key, curve: served };
  return served;
}
