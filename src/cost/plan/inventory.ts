import type { StageCapabilities } from '../../contracts/stages.js';
import type { RegionTemplate } from '../../contracts/templates.js';
import { type ConfigRecorder, configRecordersOf } from './compliance-inventory.js';
import {
  DEFAULT_LOG_RETENTION_DAYS,
  type LogDeliveryStream,
  type LogSource,
  logSourceOf,
  logStreamOf,
  type OpenSearchDestination,
} from './log-store-inventory.js';

export type FunctionRole = 'api' | 'worker' | 'indexer' | 'log-transform' | 'deploy-time';

/** vCPU and memory of the general-purpose (m-family) sizes a node group names. */
const NODE_SIZES: Readonly<Record<string, { vcpu: number; memoryGb: number }>> = {
  medium: { vcpu: 1, memoryGb: 4 },
  large: { vcpu: 2, memoryGb: 8 },
  xlarge: { vcpu: 4, memoryGb: 16 },
  '2xlarge': { vcpu: 8, memoryGb: 32 },
  '4xlarge': { vcpu: 16, memoryGb: 64 },
};
/**
 * What a stage deploys, counted across all its regions: the resources that cost money whether or
 * not anybody visits, and the ones usage is billed through. Read from synthesized CloudFormation
 * templates where the stage's CDK code exists, and from the stage table where it does not yet.
 */
export interface Inventory {
  readonly source: 'synthesized template' | 'stage table';
  readonly regions: readonly string[];
  readonly functions: readonly {
    readonly role: FunctionRole;
    readonly memoryMb: number;
    readonly architecture: 'x86_64' | 'arm64';
  }[];
  readonly restApis: number;
  /** API Gateway stage caches, by size in GB. */
  readonly apiCaches: readonly string[];
  readonly distributions: number;
  readonly edgeFunctions: number;
  readonly tableReplicas: number;
  readonly pointInTimeRecovery: boolean;
  /** Days a daily backup is kept; 0 without a backup plan. */
  readonly backupRetentionDays: number;
  readonly queues: number;
  /** CloudWatch bills alarms per metric: a metric-math alarm counts each metric it reads. */
  readonly alarmMetrics: number;
  readonly dashboards: number;
  readonly topics: number;
  readonly budgets: number;
  readonly natGateways: number;
  readonly loadBalancers: number;
  readonly cacheNodes: readonly { readonly nodeType: string; readonly engine: 'valkey' | 'redis' }[];
  readonly containerServices: readonly {
    readonly platform: 'ecs' | 'eks';
    readonly tasks: number;
    readonly vcpu: number;
    readonly memoryGb: number;
    readonly architecture: 'x86_64' | 'arm64';
  }[];
  /** Rules (rules and rule groups) of each web ACL. */
  readonly webAcls: readonly number[];
  readonly shieldAdvanced: boolean;
  readonly hostedZones: number;
  readonly healthChecks: number;
  readonly eksClusters: number;
  readonly userPools: number;
  readonly searchDomains: readonly {
    readonly instanceType: string;
    readonly instances: number;
    readonly storageGb: number;
  }[];
  readonly streams: number;
  /** Firehose streams of analytics events to S3; the log store's are `logDeliveryStreams`. */
  readonly deliveryStreams: number;
  /** Firehose streams that ship log groups into the region's OpenSearch domain. */
  readonly logDeliveryStreams: readonly LogDeliveryStream[];
  /** CloudWatch Logs subscription filters (free themselves), by what writes the group each ships. */
  readonly subscriptionFilters: readonly LogSource[];
  /** AWS Config recorders, one per region that records. */
  readonly configRecorders: readonly ConfigRecorder[];
  /** Base RPUs of each Redshift Serverless workgroup. */
  readonly warehouses: readonly number[];
  /** Athena workgroups the reports run in. */
  readonly queryWorkgroups: number;
  readonly tracing: boolean;
}

export type Template = RegionTemplate;

const num = (value: unknown, fallback: number) => {
  const parsed = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(parsed) ? parsed : fallback;
};

function roleOf(logicalId: string): FunctionRole {
  if (/LogTransform/.test(logicalId)) return 'log-transform';
  if (/^Api/.test(logicalId)) return 'api';
  if (/^Worker/.test(logicalId)) return 'worker';
  if (/Indexer/.test(logicalId)) return 'indexer';
  // CDK's own handlers (bucket deployment, log retention...) run at deploy time only.
  return 'deploy-time';
}

/** Counts what the templates of one stage deploy; one template per region. */
export function inventoryFromTemplates(templates: readonly Template[]): Inventory {
  const functions: Inventory['functions'][number][] = [];
  const apiCaches: string[] = [];
  const cacheNodes: Inventory['cacheNodes'][number][] = [];
  const containerServices: Inventory['containerServices'][number][] = [];
  const webAcls: number[] = [];
  const searchDomains: Inventory['searchDomains'][number][] = [];
  const warehouses: number[] = [];
  const logDeliveryStreams: LogDeliveryStream[] = [];
  const subscriptionFilters: LogSource[] = [];
  const count: Record<string, number> = {};
  let tableReplicas = 0;
  let pointInTimeRecovery = false;
  let backupRetentionDays = 0;
  let tracing = false;
  let alarmMetrics = 0;
  const referencedZones = new Set<string>();
  for (const template of templates) {
    const resources = Object.entries(template.Resources ?? {});
    const byId = new Map(resources);
    for (const [id, resource] of resources) {
      const props = resource.Properties ?? {};
      count[resource.Type] = (count[resource.Type] ?? 0) + 1;
      switch (resource.Type) {
        case 'AWS::Lambda::Function': {
          const architectures = props.Architectures as string[] | undefined;
          functions.push({
            role: roleOf(id),
            memoryMb: num(props.MemorySize, 128),
            architecture: architectures?.includes('arm64') ? 'arm64' : 'x86_64',
          });
          if ((props.TracingConfig as { Mode?: string } | undefined)?.Mode === 'Active') tracing = true;
          break;
        }
        case 'AWS::ApiGateway::Stage':
          if (props.CacheClusterEnabled === true) apiCaches.push(String(props.CacheClusterSize ?? '0.5'));
          if (props.TracingEnabled === true) tracing = true;
          break;
        case 'AWS::DynamoDB::GlobalTable': {
          const replicas = (props.Replicas as { PointInTimeRecoverySpecification?: unknown }[]) ?? [];
          // A global table appears in the primary region's template only; a table per region does not.
          tableReplicas = Math.max(tableReplicas, replicas.length);
          if (
            replicas.some((replica) => JSON.stringify(replica).includes('"PointInTimeRecoveryEnabled":true'))
          )
            pointInTimeRecovery = true;
          break;
        }
        case 'AWS::DynamoDB::Table':
          tableReplicas = Math.max(tableReplicas, 1);
          if (JSON.stringify(props).includes('"PointInTimeRecoveryEnabled":true')) pointInTimeRecovery = true;
          break;
        case 'AWS::Backup::BackupPlan': {
          const rules = ((props.BackupPlan as { BackupPlanRule?: unknown[] })?.BackupPlanRule ?? []) as {
            Lifecycle?: { DeleteAfterDays?: number };
          }[];
          for (const rule of rules)
            backupRetentionDays = Math.max(backupRetentionDays, num(rule.Lifecycle?.DeleteAfterDays, 35));
          break;
        }
        case 'AWS::ElastiCache::ReplicationGroup': {
          const groups = num(props.NumNodeGroups, 1);
          const perGroup = props.NumCacheClusters
            ? num(props.NumCacheClusters, 1)
            : num(props.ReplicasPerNodeGroup, 0) + 1;
          const engine = String(props.Engine ?? 'valkey').toLowerCase() === 'redis' ? 'redis' : 'valkey';
          for (let index = 0; index < groups * perGroup; index++)
            cacheNodes.push({ nodeType: String(props.CacheNodeType), engine });
          break;
        }
        case 'AWS::EKS::Nodegroup': {
          // Nodes, not tasks: priced per vCPU and GB at the Fargate-for-EKS rates (see plan notes).
          const scaling = (props.ScalingConfig ?? {}) as { MinSize?: number; DesiredSize?: number };
          const type = String((props.InstanceTypes as string[] | undefined)?.[0] ?? 'm7g.large');
          const size = NODE_SIZES[type.split('.')[1] ?? 'large'] ?? { vcpu: 2, memoryGb: 8 };
          containerServices.push({
            platform: 'eks',
            tasks: num(scaling.DesiredSize ?? scaling.MinSize, 2),
            ...size,
            architecture: String(props.AmiType ?? '').includes('ARM') ? 'arm64' : 'x86_64',
          });
          break;
        }
        case 'AWS::ECS::Service': {
          const taskRef = (props.TaskDefinition as { Ref?: string } | undefined)?.Ref;
          const task = taskRef ? byId.get(taskRef)?.Properties : undefined;
          const platform = task?.RuntimePlatform as { CpuArchitecture?: string } | undefined;
          containerServices.push({
            platform: 'ecs',
            tasks: num(props.DesiredCount, 1),
            vcpu: num(task?.Cpu, 256) / 1024,
            memoryGb: num(task?.Memory, 512) / 1024,
            architecture: platform?.CpuArchitecture === 'ARM64' ? 'arm64' : 'x86_64',
          });
          break;
        }
        case 'AWS::Route53::RecordSet':
          if (typeof props.HostedZoneId === 'string') referencedZones.add(props.HostedZoneId);
          break;
        case 'AWS::CloudWatch::Alarm': {
          const metrics = (props.Metrics as { MetricStat?: unknown }[] | undefined) ?? [];
          alarmMetrics += Math.max(1, metrics.filter((metric) => metric.MetricStat).length);
          break;
        }
        case 'AWS::WAFv2::WebACL':
          webAcls.push(((props.Rules as unknown[]) ?? []).length);
          break;
        case 'AWS::OpenSearchService::Domain': {
          const cluster = (props.ClusterConfig ?? {}) as {
            InstanceType?: string;
            InstanceCount?: number;
            DedicatedMasterEnabled?: boolean;
            DedicatedMasterType?: string;
            DedicatedMasterCount?: number;
          };
          const ebs = (props.EBSOptions ?? {}) as { VolumeSize?: number };
          const instances = num(cluster.InstanceCount, 1);
          searchDomains.push({
            instanceType: cluster.InstanceType ?? 'r7g.large.search',
            instances,
            storageGb: num(ebs.VolumeSize, 10) * instances,
          });
          // Dedicated masters are billed as instances too, with no data volume.
          if (cluster.DedicatedMasterEnabled)
            searchDomains.push({
              instanceType: cluster.DedicatedMasterType ?? cluster.InstanceType ?? 'r7g.large.search',
              instances: num(cluster.DedicatedMasterCount, 3),
              storageGb: 0,
            });
          break;
        }
        case 'AWS::RedshiftServerless::Workgroup':
          warehouses.push(num(props.BaseCapacity, 128));
          break;
        case 'AWS::KinesisFirehose::DeliveryStream': {
          const destination = props.AmazonopensearchserviceDestinationConfiguration as
            | OpenSearchDestination
            | undefined;
          if (destination) logDeliveryStreams.push(logStreamOf(destination, template));
          break;
        }
        case 'AWS::Logs::SubscriptionFilter': {
          const group = props.LogGroupName as string | { Ref?: string } | undefined;
          subscriptionFilters.push(logSourceOf(typeof group === 'string' ? group : (group?.Ref ?? '')));
          break;
        }
      }
    }
  }
  const n = (type: string) => count[type] ?? 0;
  return {
    source: 'synthesized template',
    regions: templates.map((template) => template.region),
    functions: byRole(functions),
    restApis: n('AWS::ApiGateway::RestApi'),
    apiCaches,
    distributions: n('AWS::CloudFront::Distribution'),
    edgeFunctions: countEdgeFunctions(templates),
    tableReplicas,
    pointInTimeRecovery,
    backupRetentionDays,
    queues: n('AWS::SQS::Queue'),
    alarmMetrics,
    dashboards: n('AWS::CloudWatch::Dashboard'),
    topics: n('AWS::SNS::Topic'),
    budgets: n('AWS::Budgets::Budget'),
    natGateways: n('AWS::EC2::NatGateway'),
    // On EKS the load balancer controller makes one ALB per cluster for the API's Ingress.
    loadBalancers: n('AWS::ElasticLoadBalancingV2::LoadBalancer') + n('AWS::EKS::Cluster'),
    cacheNodes,
    containerServices,
    webAcls: webAcls.sort((a, b) => b - a),
    shieldAdvanced: n('AWS::Shield::Protection') + n('AWS::Shield::ProtectionGroup') > 0,
    // Zones the stacks create, and zones they only write records into (the user's own): both are billed.
    hostedZones: n('AWS::Route53::HostedZone') + referencedZones.size,
    healthChecks: n('AWS::Route53::HealthCheck'),
    eksClusters: n('AWS::EKS::Cluster'),
    userPools: n('AWS::Cognito::UserPool'),
    searchDomains,
    streams: n('AWS::Kinesis::Stream'),
    deliveryStreams: n('AWS::KinesisFirehose::DeliveryStream') - logDeliveryStreams.length,
    logDeliveryStreams,
    subscriptionFilters,
    configRecorders: configRecordersOf(templates),
    warehouses,
    queryWorkgroups: n('AWS::Athena::WorkGroup'),
    tracing,
  };
}

/** Lambda@Edge functions: versions associated with a distribution's cache behaviours. */
function countEdgeFunctions(templates: readonly Template[]): number {
  let edge = 0;
  for (const template of templates) {
    for (const resource of Object.values(template.Resources ?? {})) {
      if (resource.Type !== 'AWS::CloudFront::Distribution') continue;
      edge += (JSON.stringify(resource.Properties).match(/"LambdaFunctionARN"/g) ?? []).length;
    }
  }
  return edge;
}

/** Default regions of a multi-region stage, in order: primary first. */
export const DEFAULT_REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-1'] as const;

/**
 * What a stage deploys according to the stage table, for stages whose CDK code has not landed:
 * the same resources the constructs create for startup and growing (a test holds the two
 * together), and for scaling and enterprise what the reference architecture calls for.
 */
/** Functions in one order whichever way they were found, so inventories compare equal. */
function byRole<
  T extends { readonly role: string; readonly architecture: string; readonly memoryMb: number },
>(functions: readonly T[]): T[] {
  return [...functions].sort(
    (a, b) =>
      a.role.localeCompare(b.role) || a.architecture.localeCompare(b.architecture) || a.memoryMb - b.memoryMb,
  );
}

/**
 * A recorder as the compliance construct makes one, counted from the first enterprise templates
 * with one: about 120 recorded resources a region, 210 in the primary, which also records the
 * account's IAM roles; three bucket rules, table PITR, search encryption and trail validation in
 * each region, and the table's backup plan checked in the primary.
 */
function stageTableRecorder(primary: boolean): ConfigRecorder {
  const change = (resourcesInScope: number) => ({ changeTriggered: true, runsPerMonth: 0, resourcesInScope });
  const daily = (resourcesInScope: number) => ({
    changeTriggered: false,
    runsPerMonth: 730 / 24,
    resourcesInScope,
  });
  const buckets = primary ? 7 : 2;
  return {
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
    edgeFunctions: caps.web.edgeFunctions ? 1 : 0,
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
      ? regions.map((_, index) => stageTableRecorder(index === 0))
      : [],
    // The reports are Athena queries over the delivered files (constructs/analytics-pipeline.ts).
    warehouses: [],
    queryWorkgroups: caps.analytics === 'kinesis' ? 1 : 0,
    tracing: caps.observability.tracing,
  };
}
