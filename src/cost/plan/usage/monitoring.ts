import type { Inventory } from '../inventory.js';
import type { StageMonth, UsagePart } from './context.js';

/** Changes AWS Config records to each resource a month: about a deploy a week that touches it. */
const CONFIG_CHANGES_PER_RESOURCE = 4;

/** CloudWatch logs, metrics, alarms and dashboards, and X-Ray traces. */
export function monitoringParts({ inventory, traffic, profile, regions }: StageMonth): UsagePart[] {
  const parts: UsagePart[] = [
    {
      service: 'cloudwatch',
      usage: {
        logsIngestedGb: traffic.logGb,
        // Thirty days kept: about one month of logs at any time, compressed about 6:1 as AWS bills storage.
        logsStoredGb: traffic.logGb / 6,
        customMetrics: 8 * regions,
        alarms: inventory.alarmMetrics,
        dashboards: inventory.dashboards,
      },
      atZeroTraffic: { logsIngestedGb: 0, logsStoredGb: 0 },
    },
  ];
  if (inventory.tracing) {
    parts.push({
      service: 'xray',
      usage: { tracesRecorded: Math.round(traffic.apiRequests * profile.traceSampleRate) },
    });
  }
  return parts;
}

/** AWS Config: one part per recorder; deploys, not visitors, change resources, so it is all fixed. */
export function complianceParts({ inventory }: StageMonth): UsagePart[] {
  return inventory.configRecorders.map((recorder, index) => ({
    service: 'config',
    usage: {
      configurationItems: recorder.resources * CONFIG_CHANGES_PER_RESOURCE,
      ruleEvaluations: Math.round(ruleEvaluationsOf(recorder)),
    },
    fixedOnly: true,
    region: recorder.region,
    ...(index === 0 ? { assumption: configAssumption(inventory) } : {}),
  }));
}

/** A recorder's month of rule evaluations: each recorded change of a resource in scope, and each scheduled run. */
function ruleEvaluationsOf(recorder: Inventory['configRecorders'][number]): number {
  return recorder.rules.reduce(
    (sum, rule) =>
      sum +
      (rule.changeTriggered ? rule.resourcesInScope * CONFIG_CHANGES_PER_RESOURCE : 0) +
      rule.runsPerMonth * rule.resourcesInScope,
    0,
  );
}

function configAssumption(inventory: Inventory): string {
  const recorders = inventory.configRecorders;
  const resources = recorders.reduce((sum, recorder) => sum + recorder.resources, 0);
  const evaluations = recorders.reduce((sum, recorder) => sum + ruleEvaluationsOf(recorder), 0);
  const rules = recorders.reduce((sum, recorder) => sum + recorder.rules.length, 0);
  return `${recorders.length} recorders over ${resources} recorded resources, each changed ${CONFIG_CHANGES_PER_RESOURCE} times a month (about a deploy a week): ${(resources * CONFIG_CHANGES_PER_RESOURCE).toLocaleString('en-US')} configuration items; ${rules} rules, ${Math.round(evaluations).toLocaleString('en-US')} evaluations (on each change in scope, and daily for periodic rules)`;
}
