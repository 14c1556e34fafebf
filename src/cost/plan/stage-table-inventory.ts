import type { StageCapabilities } from '../../contracts/stages.js';
import type { ConfigRecorder } from './compliance-inventory.js';
import { byRole, type Inventory } from './inventory.js';
import { DEFAULT_LOG_RETENTION_DAYS } from './log-store-inventory.js';

/** Default regions of a multi-region stage, in order: primary first. */
export const DEFAULT_REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-1'] as const;

/**
 * A recorder as the compliance construct makes one, counted from the first enterprise templates
 * with one: about 120 recorded resources a region, 210 in the primary, which also records the
 * account's IAM roles; three bucket rules, table PITR, search encryption and trail validation in
 * each region, and the table's backup plan checked in the primary.
 */
function stageTableRecorder(region: string, primary: boolean): ConfigRecorder {
  const change = (resourcesInScope: number) => ({ changeTriggered: true, runsPerMonth: 0, resourcesInScope });
  const daily = (resourcesInScope: number) => ({
    changeTriggered: false,
    runsPerMonth: 730 / 24,
    resourcesInScope,
  });
  const buckets = primary ? 7 : 2;
  return {
    region,
    resources: primary ? 210 : 120,
    rules: [
      change(buckets),
      change(buckets),
      change(buckets),
      change(1),
      change(1),
      daily(1),
      ...(primary ? [daily(1)] : []),
    ],
  };
}

/**
 * What a stage deploys according to the stage table, for stages whose CDK code has not landed:
 * the same resources the constructs create for startup and growing (a test holds the two
 * together), and for scaling and enterprise what the reference architecture calls for.
 */
export function inventoryFromStageTable(caps: StageCapabilities, primaryRegion: string): Inventory {
  const regions = [primaryRegion, ...DEFAULT_REGIONS.filter((region) => region !== primaryRegion)].slice(
    0,
    caps.regions,
  );
  const perRegion = <T>(make: () => T[]): T[] => regions.flatMap(() => make());
  const r = regions.length;
  // From scaling on, the API runs in containers behind a load balancer; Lambda keeps the workers.
  const containers = caps.api.compute !== 'lambda';
  const functions: Inventory['functions'][number][] = perRegion(() => [
    ...(containers ? [] : [{ role: 'api' as const, memoryMb: 512, architecture: 'arm64' as const }]),
    { role: 'deploy-time' as const, memoryMb: 256, architecture: 'arm64' as const },
    // The SDK call that looks up CloudFront's and Route 53's prefix lists for the load balancer.
    ...(containers ? [{ role: 'deploy-time' as const, memoryMb: 128, architecture: 'x86_64' as const }] : []),
    ...(caps.jobs === 'sqs'
      ? [{ role: 'worker' as const, memoryMb: 512, architecture: 'arm64' as const }]
      : []),
    ...(caps.observability.logStore
      ? [{ role: 'log-transform' as const, memoryMb: 512, architecture: 'arm64' as const }]
      : []),
  ]);
  if (caps.search === 'opensearch') functions.push({ role: 'indexer', memoryMb: 512, architecture: 'arm64' });
  // As the Observability construct: API 5xx rate (2 metrics) and p99 latency, errors and throttles
  // per function, table throttles (2 metrics), dead letters.
  const functionsPerRegion = (containers ? 0 : 1) + (caps.jobs === 'sqs' ? 1 : 0);
  const alarmsPerRegion = caps.observability.alarms
    ? 3 + 2 * functionsPerRegion + 2 + (caps.jobs === 'sqs' ? 1 : 0)
    : 0;
  return {
    source: 'stage table',
    regions,
    functions: byRole(functions),
    restApis: containers ? 0 : r,
    apiCaches: caps.api.gatewayCache && !containers ? regions.map(() => '0.5') : [],
    distributions: 1,
    // As the ProductPagesEdge construct: the crawler pages' renderer, on origin request.
    edgeFunctions: caps.web.edgeFunctions
      ? [{ eventType: 'origin-request', pathPattern: '/products/*', memoryMb: 256 }]
      : [],
    tableReplicas: r,
    pointInTimeRecovery: caps.data.pointInTimeRecovery,
    backupRetentionDays: caps.data.backupPlan ? 35 : 0,
    queues: caps.jobs === 'sqs' ? 2 * r : 0,
    // Behind a load balancer, API 5xx are the tasks' and the balancer's own: one metric more.
    alarmMetrics: alarmsPerRegion * r + (containers ? r : 0),
    dashboards: caps.observability.dashboard ? r : 0,
    topics: caps.observability.alarms ? r : 0,
    budgets: caps.security.budgets ? 1 : 0,
    // Two availability zones per region, a NAT gateway in each.
    natGateways: containers ? 2 * r : 0,
    loadBalancers: containers ? r : 0,
    // A primary and a replica in two zones per region.
    cacheNodes:
      caps.cache === 'redis'
        ? perRegion(() => [
            { nodeType: 'cache.m7g.large', engine: 'valkey' as const },
            { nodeType: 'cache.m7g.large', engine: 'valkey' as const },
          ])
        : [],
    containerServices: containers
      ? perRegion(() => [
          {
            platform: caps.api.compute === 'lambda+eks' ? ('eks' as const) : ('ecs' as const),
            tasks: 2,
            vcpu: 1,
            memoryGb: 2,
            architecture: 'arm64' as const,
          },
        ])
      : [],
    // One ACL on CloudFront (a per-client rate rule, four managed groups, the large-body rule
    // outside /api) and one per regional entry point (the same without the rate rule: behind
    // CloudFront it would count edge addresses). Largest first, as the template reader lists them.
    webAcls: caps.security.waf ? [6, ...regions.map(() => 5)] : [],
    shieldAdvanced: caps.security.shieldAdvanced,
    hostedZones: caps.data.globalTable ? 1 : 0,
    healthChecks: caps.data.globalTable ? r : 0,
    eksClusters: caps.api.compute === 'lambda+eks' ? r : 0,
    prometheusWorkspaces: caps.observability.prometheus ? r : 0,
    userPools: caps.sessions === 'cognito' ? 1 : 0,
    searchDomains:
      caps.search === 'opensearch'
        ? [{ instanceType: 'r7g.large.search', instances: 3, storageGb: 3 * 100 }]
        : [],
    streams: caps.analytics === 'kinesis' ? 1 : 0,
    deliveryStreams: caps.analytics === 'kinesis' ? 1 : 0,
    // A stream per region into its search domain's two zones, fed by the API's, the worker's and
    // the search indexer's log groups.
    logDeliveryStreams: caps.observability.logStore
      ? regions.map(() => ({
          vpcAzs: 2,
          retentionDays: DEFAULT_LOG_RETENTION_DAYS,
          transformBufferMb: 1,
          transformIntervalSeconds: 60,
        }))
      : [],
    subscriptionFilters: caps.observability.logStore
      ? perRegion(() => ['api' as const, 'worker' as const, 'indexer' as const])
      : [],
    configRecorders: caps.security.complianceRecording
      ? regions.map((region, index) => stageTableRecorder(region, index === 0))
      : [],
    // The reports are Athena queries over the delivered files (constructs/analytics-pipeline.ts).
    warehouses: [],
    queryWorkgroups: caps.analytics === 'kinesis' ? 1 : 0,
    tracing: caps.observability.tracing,
  };
}
