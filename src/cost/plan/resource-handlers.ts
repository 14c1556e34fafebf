import { edgeFunctionsOf, isEdgeFunction } from './edge-inventory.js';
import type { Inventory, Template } from './inventory.js';
import {
  type LogDeliveryStream,
  type LogSource,
  logSourceOf,
  logStreamOf,
  type OpenSearchDestination,
} from './log-store-inventory.js';

type Entry<K extends keyof Inventory> = Inventory[K] extends readonly (infer E)[] ? E : never;

/** What the template reader adds up over a stage's templates, one resource at a time. */
export interface Tally {
  readonly functions: Entry<'functions'>[];
  readonly edgeFunctions: Entry<'edgeFunctions'>[];
  readonly apiCaches: string[];
  readonly cacheNodes: Entry<'cacheNodes'>[];
  readonly containerServices: Entry<'containerServices'>[];
  readonly webAcls: number[];
  readonly searchDomains: Entry<'searchDomains'>[];
  readonly warehouses: number[];
  readonly logDeliveryStreams: LogDeliveryStream[];
  readonly subscriptionFilters: LogSource[];
  /** Hosted zones the stacks write records into without creating them (the user's own). */
  readonly referencedZones: Set<string>;
  tableReplicas: number;
  pointInTimeRecovery: boolean;
  backupRetentionDays: number;
  tracing: boolean;
  alarmMetrics: number;
}

export function emptyTally(): Tally {
  return {
    functions: [],
    edgeFunctions: [],
    apiCaches: [],
    cacheNodes: [],
    containerServices: [],
    webAcls: [],
    searchDomains: [],
    warehouses: [],
    logDeliveryStreams: [],
    subscriptionFilters: [],
    referencedZones: new Set(),
    tableReplicas: 0,
    pointInTimeRecovery: false,
    backupRetentionDays: 0,
    tracing: false,
    alarmMetrics: 0,
  };
}

/** One resource of a template, with the template it sits in (to follow a `Ref`). */
export interface TemplateResource {
  readonly id: string;
  readonly props: Record<string, unknown>;
  readonly template: Template;
}

/** Adds what one resource of its CloudFormation type deploys to the tally. */
export type ResourceHandler = (tally: Tally, resource: TemplateResource) => void;

const num = (value: unknown, fallback: number) => {
  const parsed = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(parsed) ? parsed : fallback;
};

function roleOf(logicalId: string): Entry<'functions'>['role'] {
  if (/LogTransform/.test(logicalId)) return 'log-transform';
  if (/^Api/.test(logicalId)) return 'api';
  if (/^Worker/.test(logicalId)) return 'worker';
  if (/Indexer/.test(logicalId)) return 'indexer';
  // CDK's own handlers (bucket deployment, log retention...) run at deploy time only.
  return 'deploy-time';
}

/** vCPU and memory of the general-purpose (m-family) sizes a node group names. */
const NODE_SIZES: Readonly<Record<string, { vcpu: number; memoryGb: number }>> = {
  medium: { vcpu: 1, memoryGb: 4 },
  large: { vcpu: 2, memoryGb: 8 },
  xlarge: { vcpu: 4, memoryGb: 16 },
  '2xlarge': { vcpu: 8, memoryGb: 32 },
  '4xlarge': { vcpu: 16, memoryGb: 64 },
};
/**
 * The resource types whose properties matter to the bill, each with what it adds. Types counted
 * but not read (queues, topics, dashboards...) need no handler: the reader counts every type.
 */
export const RESOURCE_HANDLERS: ReadonlyMap<string, ResourceHandler> = new Map(
  Object.entries({
    'AWS::Lambda::Function': (tally, { id, props, template }) => {
      // Priced per request at Lambda@Edge's rates, from the behavior it is on (below).
      if (isEdgeFunction(props, template)) return;
      const architectures = props.Architectures as string[] | undefined;
      tally.functions.push({
        role: roleOf(id),
        memoryMb: num(props.MemorySize, 128),
        architecture: architectures?.includes('arm64') ? 'arm64' : 'x86_64',
      });
      if ((props.TracingConfig as { Mode?: string } | undefined)?.Mode === 'Active') tally.tracing = true;
    },
    'AWS::CloudFront::Distribution': (tally, { props, template }) => {
      tally.edgeFunctions.push(...edgeFunctionsOf(props, template));
    },
    'AWS::ApiGateway::Stage': (tally, { props }) => {
      if (props.CacheClusterEnabled === true) tally.apiCaches.push(String(props.CacheClusterSize ?? '0.5'));
      if (props.TracingEnabled === true) tally.tracing = true;
    },
    'AWS::DynamoDB::GlobalTable': (tally, { props }) => {
      const replicas = (props.Replicas as { PointInTimeRecoverySpecification?: unknown }[]) ?? [];
      // A global table appears in the primary region's template only; a table per region does not.
      tally.tableReplicas = Math.max(tally.tableReplicas, replicas.length);
      if (replicas.some((replica) => JSON.stringify(replica).includes('"PointInTimeRecoveryEnabled":true')))
        tally.pointInTimeRecovery = true;
    },
    'AWS::DynamoDB::Table': (tally, { props }) => {
      tally.tableReplicas = Math.max(tally.tableReplicas, 1);
      if (JSON.stringify(props).includes('"PointInTimeRecoveryEnabled":true'))
        tally.pointInTimeRecovery = true;
    },
    'AWS::Backup::BackupPlan': (tally, { props }) => {
      const rules = ((props.BackupPlan as { BackupPlanRule?: unknown[] })?.BackupPlanRule ?? []) as {
        Lifecycle?: { DeleteAfterDays?: number };
      }[];
      for (const rule of rules)
        tally.backupRetentionDays = Math.max(
          tally.backupRetentionDays,
          num(rule.Lifecycle?.DeleteAfterDays, 35),
        );
    },
    'AWS::ElastiCache::ReplicationGroup': (tally, { props }) => {
      const groups = num(props.NumNodeGroups, 1);
      const perGroup = props.NumCacheClusters
        ? num(props.NumCacheClusters, 1)
        : num(props.ReplicasPerNodeGroup, 0) + 1;
      const engine = String(props.Engine ?? 'valkey').toLowerCase() === 'redis' ? 'redis' : 'valkey';
      for (let index = 0; index < groups * perGroup; index++)
        tally.cacheNodes.push({ nodeType: String(props.CacheNodeType), engine });
    },
    'AWS::EKS::Nodegroup': (tally, { props }) => {
      // Nodes, not tasks: EC2 instances of the node group's type with their root volumes.
      const scaling = (props.ScalingConfig ?? {}) as { MinSize?: number; DesiredSize?: number };
      const type = String((props.InstanceTypes as string[] | undefined)?.[0] ?? 'm7g.large');
      const size = NODE_SIZES[type.split('.')[1] ?? 'large'] ?? { vcpu: 2, memoryGb: 8 };
      tally.containerServices.push({
        platform: 'eks',
        tasks: num(scaling.DesiredSize ?? scaling.MinSize, 2),
        ...size,
        architecture: String(props.AmiType ?? '').includes('ARM') ? 'arm64' : 'x86_64',
        instanceType: type,
        // EKS gives a managed node group's nodes 20 GB root volumes unless DiskSize says otherwise.
        diskGb: num(props.DiskSize, 20),
      });
    },
    'AWS::ECS::Service': (tally, { props, template }) => {
      const taskRef = (props.TaskDefinition as { Ref?: string } | undefined)?.Ref;
      const resources = template.Resources ?? {};
      const task = taskRef && Object.hasOwn(resources, taskRef) ? resources[taskRef]?.Properties : undefined;
      const platform = task?.RuntimePlatform as { CpuArchitecture?: string } | undefined;
      tally.containerServices.push({
        platform: 'ecs',
        tasks: num(props.DesiredCount, 1),
        vcpu: num(task?.Cpu, 256) / 1024,
        memoryGb: num(task?.Memory, 512) / 1024,
        architecture: platform?.CpuArchitecture === 'ARM64' ? 'arm64' : 'x86_64',
      });
    },
    'AWS::Route53::RecordSet': (tally, { props }) => {
      if (typeof props.HostedZoneId === 'string') tally.referencedZones.add(props.HostedZoneId);
    },
    'AWS::CloudWatch::Alarm': (tally, { props }) => {
      const metrics = (props.Metrics as { MetricStat?: unknown }[] | undefined) ?? [];
      tally.alarmMetrics += Math.max(1, metrics.filter((metric) => metric.MetricStat).length);
    },
    'AWS::WAFv2::WebACL': (tally, { props }) => {
      tally.webAcls.push(((props.Rules as unknown[]) ?? []).length);
    },
    'AWS::OpenSearchService::Domain': (tally, { props }) => {
      const cluster = (props.ClusterConfig ?? {}) as {
        InstanceType?: string;
        InstanceCount?: number;
        DedicatedMasterEnabled?: boolean;
        DedicatedMasterType?: string;
        DedicatedMasterCount?: number;
      };
      const ebs = (props.EBSOptions ?? {}) as { VolumeSize?: number };
      const instances = num(cluster.InstanceCount, 1);
      tally.searchDomains.push({
        instanceType: cluster.InstanceType ?? 'r7g.large.search',
        instances,
        storageGb: num(ebs.VolumeSize, 10) * instances,
      });
      // Dedicated masters are billed as instances too, with no data volume.
      if (cluster.DedicatedMasterEnabled)
        tally.searchDomains.push({
          instanceType: cluster.DedicatedMasterType ?? cluster.InstanceType ?? 'r7g.large.search',
          instances: num(cluster.DedicatedMasterCount, 3),
          storageGb: 0,
        });
    },
    'AWS::RedshiftServerless::Workgroup': (tally, { props }) => {
      tally.warehouses.push(num(props.BaseCapacity, 128));
    },
    'AWS::KinesisFirehose::DeliveryStream': (tally, { props, template }) => {
      const destination = props.AmazonopensearchserviceDestinationConfiguration as
        | OpenSearchDestination
        | undefined;
      if (destination) tally.logDeliveryStreams.push(logStreamOf(destination, template));
    },
    'AWS::Logs::SubscriptionFilter': (tally, { props }) => {
      const group = props.LogGroupName as string | { Ref?: string } | undefined;
      tally.subscriptionFilters.push(logSourceOf(typeof group === 'string' ? group : (group?.Ref ?? '')));
    },
  } satisfies Record<string, ResourceHandler>),
);
