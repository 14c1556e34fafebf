import type { Inventory } from '../inventory.js';
import { gb, type StageMonth, type UsagePart } from './context.js';

/** Changes AWS Config records to each resource a month: about a deploy a week that touches it. */
const CONFIG_CHANGES_PER_RESOURCE = 4;

/** CloudWatch logs, metrics, alarms and dashboards, and X-Ray traces. */
export function monitoringParts({
  inventory,
  traffic,
  profile,
  regions,
  jobs,
  indexUpdates,
}: StageMonth): UsagePart[] {
  // The API's request logs, and a line of about the same size for each job the worker runs and
  // each change the search indexer applies.
  const logGb = traffic.logGb + gb((jobs + indexUpdates) * profile.logKbPerRequest);
  const parts: UsagePart[] = [
    {
      service: 'cloudwatch',
      usage: {
        logsIngestedGb: logGb,
        // Thirty days kept: about one month of logs at any time, compressed about 6:1 as AWS bills storage.
        logsStoredGb: logGb / 6,
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
  parts.push(...prometheusParts({ inventory, profile }));
  return parts;
}

/** The collector's scrape interval (src/infra/k8s/adot-collector.ts). */
const SCRAPE_SECONDS = 30;
const SECONDS_PER_MONTH = 30 * 24 * 3600;
/** Managed Prometheus keeps samples 150 days; a sample takes about 2 bytes as stored. */
const RETENTION_MONTHS = 5;
const BYTES_PER_SAMPLE = 2;
/** Alert rules read each sample about this many times over their windows. */
const RULE_READS_PER_SAMPLE = 10;

/**
 * Managed Prometheus: each region's collector scrapes the API pods (at least one per node) every
 * 30 s. Traffic does not change the series count, so it is fixed cost.
 */
function prometheusParts({ inventory, profile }: Pick<StageMonth, 'inventory' | 'profile'>): UsagePart[] {
  if (inventory.prometheusWorkspaces === 0) return [];
  const pods = inventory.containerServices
    .filter((service) => service.platform === 'eks')
    .reduce((sum, service) => sum + service.tasks, 0);
  const samples = pods * profile.prometheusSeriesPerPod * (SECONDS_PER_MONTH / SCRAPE_SECONDS);
  return [
    {
      service: 'prometheus',
      usage: {
        samplesIngested: Math.round(samples),
        storedGb: (samples * BYTES_PER_SAMPLE * RETENTION_MONTHS) / 2 ** 30,
        querySamples: Math.round(samples * RULE_READS_PER_SAMPLE),
      },
      fixedOnly: true,
      assumption: `${pods} API pods x ${profile.prometheusSeriesPerPod} series scraped every ${SCRAPE_SECONDS} s; ${BYTES_PER_SAMPLE} bytes a sample kept ${RETENTION_MONTHS} months; rules read each sample ${RULE_READS_PER_SAMPLE} times`,
    },
  ];
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
