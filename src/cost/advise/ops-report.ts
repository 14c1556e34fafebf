import type { OpsCostReport } from '../../contracts/ports.js';
import { capabilitiesOf, STAGES } from '../../contracts/stages.js';
import { parseProfile } from '../plan/profile.js';
import { inventoryFromStageTable } from '../plan/stage-table-inventory.js';
import { daysSince, PRICED_REGIONS } from '../prices.js';
import { advise } from './advise.js';

/**
 * The ops console's cost panel from one scrape of the app's own metrics. Inventories come from
 * the stage table (held equal to the synthesized templates by the plan's tests), so a running
 * server never loads the CDK.
 */
export function opsCostReport(
  metricsText: string,
  runningRegion = 'us-east-1',
  today: Date = new Date(),
): OpsCostReport {
  // The catalog prices these regions; elsewhere the console shows us-east-1 prices.
  const region = PRICED_REGIONS.includes(runningRegion) ? runningRegion : 'us-east-1';
  const inventories = new Map(
    STAGES.map((stage) => [stage, inventoryFromStageTable(capabilitiesOf(stage), region)] as const),
  );
  const advice = advise({ metricsText, profile: parseProfile({}), region, inventories });
  return {
    stage: advice.stage,
    users: advice.users,
    usersFrom: advice.usersFrom,
    verdict: advice.verdict,
    recommendedStage: advice.recommendedStage,
    summary: advice.summary,
    findings: advice.findings,
    stages: advice.plan.stages.map((stage) => ({
      stage: stage.stage,
      totalUsd: stage.totalUsd,
      fixedUsd: stage.fixedUsd,
      usageUsd: stage.usageUsd,
      source: stage.source,
      fit: stage.fit,
    })),
    prices: {
      kind: advice.plan.prices.kind,
      oldest: advice.plan.prices.oldest,
      newest: advice.plan.prices.newest,
      ageDays: daysSince(advice.plan.prices.newest, today) ?? null,
    },
  };
}
