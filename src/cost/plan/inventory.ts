import type { RegionTemplate } from '../../contracts/templates.js';
import type { ConfigRecorder } from './compliance-inventory.js';
import type { LogDeliveryStream, LogSource } from './log-store-inventory.js';

export type FunctionRole = 'api' | 'worker' | 'indexer' | 'log-transform' | 'deploy-time';

/**
 * What a stage deploys, counted across all its regions: the resources that cost money whether or
 * not anybody visits, and the ones usage is billed through. Read from the stage's synthesized
 * CloudFormation templates, the one source the plan, the advisor and the ops console price.
 */
export interface Inventory {
  readonly source: 'synthesized template';
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
  /** Lambda@Edge functions on the distributions' behaviors: when each runs, and its memory. */
  readonly edgeFunctions: readonly EdgeFunctionUse[];
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
    /** EKS: the node group's EC2 instance type (its nodes are billed as instances, not tasks). */
    readonly instanceType?: string;
    /** EKS: each node's root volume. */
    readonly diskGb?: number;
  }[];
  /** Rules (rules and rule groups) of each web ACL. */
  readonly webAcls: readonly number[];
  readonly shieldAdvanced: boolean;
  readonly hostedZones: number;
  readonly healthChecks: number;
  readonly eksClusters: number;
  /** Amazon Managed Service for Prometheus workspaces (one per enterprise region). */
  readonly prometheusWorkspaces: number;
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

/** One Lambda@Edge function on one cache behavior. */
export interface EdgeFunctionUse {
  /** CloudFront's event: viewer-request, origin-request, origin-response or viewer-response. */
  readonly eventType: string;
  /** The behavior's path pattern; `*` for the default behavior. */
  readonly pathPattern: string;
  readonly memoryMb: number;
}

/** Functions in one order whichever way they were found, so inventories compare equal. */
export function byRole<
  T extends { readonly role: string; readonly architecture: string; readonly memoryMb: number },
>(functions: readonly T[]): T[] {
  return [...functions].sort(
    (a, b) =>
      a.role.localeCompare(b.role) || a.architecture.localeCompare(b.architecture) || a.memoryMb - b.memoryMb,
  );
}
