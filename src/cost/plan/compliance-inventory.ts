import type { RegionTemplate as Template } from '../../contracts/templates.js';

/** One region's AWS Config recorder: what it records, and the rules that evaluate it. */
export interface ConfigRecorder {
  /** The region it records, whose prices its items and evaluations are billed at. */
  readonly region: string;
  /** Resources it records: the region's own, plus IAM's (global) where it includes global types. */
  readonly resources: number;
  readonly rules: readonly ConfigRuleCount[];
}

export interface ConfigRuleCount {
  /** Evaluates a resource each time the recorder records a change to it. */
  readonly changeTriggered: boolean;
  /** Scheduled runs a month; 0 for a rule that runs on changes only. */
  readonly runsPerMonth: number;
  /** Recorded resources of the types it checks; 1 for a check of the account itself. */
  readonly resourcesInScope: number;
}

type Resource = NonNullable<Template['Resources']>[string];

/**
 * The trigger and resource types of the AWS managed rules the stages use, as their pages state
 * (https://docs.aws.amazon.com/config/latest/developerguide/managed-rules-by-aws-config.html),
 * with CloudFormation's type names. A rule not listed here is taken to evaluate every recorded
 * resource on each change: an upper bound.
 */
const MANAGED_RULES: Readonly<Record<string, { change: boolean; periodic: boolean; types: string[] }>> = {
  S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED: { change: true, periodic: false, types: ['AWS::S3::Bucket'] },
  S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED: { change: true, periodic: false, types: ['AWS::S3::Bucket'] },
  S3_BUCKET_SSL_REQUESTS_ONLY: { change: true, periodic: false, types: ['AWS::S3::Bucket'] },
  S3_BUCKET_PUBLIC_READ_PROHIBITED: { change: true, periodic: true, types: ['AWS::S3::Bucket'] },
  DYNAMODB_PITR_ENABLED: { change: true, periodic: false, types: ['AWS::DynamoDB::Table'] },
  DYNAMODB_IN_BACKUP_PLAN: { change: false, periodic: true, types: ['AWS::DynamoDB::Table'] },
  CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED: {
    change: false,
    periodic: true,
    types: ['AWS::CloudTrail::Trail'],
  },
  OPENSEARCH_ENCRYPTED_AT_REST: { change: true, periodic: false, types: ['AWS::OpenSearchService::Domain'] },
};

/** Config's names for the types CloudFormation names differently. */
const CLOUDFORMATION_TYPE: Readonly<Record<string, string>> = {
  'AWS::OpenSearch::Domain': 'AWS::OpenSearchService::Domain',
};

/**
 * Template entries Config records no item for: CloudFormation's and CDK's own, and parts recorded
 * as their parent's configuration (an inline IAM policy, a function's invoke permission).
 */
const NOT_RECORDED =
  /^(Custom::|AWS::CDK::|AWS::CloudFormation::)|^AWS::IAM::Policy$|^AWS::Lambda::Permission$/;
/** IAM is global: only a recorder that includes global types records it, once for all regions. */
const GLOBAL = /^AWS::IAM::/;

const HOURS_OF: Readonly<Record<string, number>> = {
  One_Hour: 1,
  Three_Hours: 3,
  Six_Hours: 6,
  Twelve_Hours: 12,
  TwentyFour_Hours: 24,
};

type Counts = Map<string, number>;
const add = (counts: Counts, type: string, n = 1) => counts.set(type, (counts.get(type) ?? 0) + n);

/** Recorded resources by type, per region, and IAM's once for the account. */
function recordedTypes(templates: readonly Template[]): { regional: Map<string, Counts>; global: Counts } {
  const regional = new Map<string, Counts>(templates.map((template) => [template.region, new Map()]));
  const global: Counts = new Map();
  for (const template of templates) {
    const counts = regional.get(template.region)!;
    for (const resource of Object.values(template.Resources ?? {})) {
      const props = resource.Properties ?? {};
      if (NOT_RECORDED.test(resource.Type)) continue;
      if (GLOBAL.test(resource.Type)) add(global, resource.Type);
      else if (resource.Type === 'AWS::DynamoDB::GlobalTable') {
        // Config records a table in each replica's region; the global table itself is no item.
        for (const replica of (props.Replicas as { Region?: unknown }[] | undefined) ?? []) {
          const region = typeof replica.Region === 'string' ? replica.Region : template.region;
          const replicaCounts = regional.get(region) ?? new Map();
          regional.set(region, replicaCounts);
          add(replicaCounts, 'AWS::DynamoDB::Table');
        }
      } else {
        add(counts, resource.Type);
        if (resource.Type === 'AWS::EKS::Nodegroup') {
          // Each node is an instance, its volume and its network interface, outside the template.
          const scaling = (props.ScalingConfig ?? {}) as { MinSize?: number; DesiredSize?: number };
          const nodes = Number(scaling.DesiredSize ?? scaling.MinSize ?? 2) || 0;
          for (const type of ['AWS::EC2::Instance', 'AWS::EC2::Volume', 'AWS::EC2::NetworkInterface'])
            add(counts, type, nodes);
        }
      }
    }
  }
  return { regional, global };
}

function ruleOf(props: Record<string, unknown>, counts: Counts): ConfigRuleCount {
  const source = (props.Source ?? {}) as {
    Owner?: string;
    SourceIdentifier?: string;
    SourceDetails?: { MessageType?: string; MaximumExecutionFrequency?: string }[];
  };
  const scope = props.Scope as
    | { ComplianceResourceTypes?: string[]; ComplianceResourceId?: string }
    | undefined;
  const managed = source.Owner === 'AWS' ? MANAGED_RULES[source.SourceIdentifier ?? ''] : undefined;
  const details = source.SourceDetails ?? [];
  const scheduled = details.find((detail) => detail.MessageType === 'ScheduledNotification');
  const frequency =
    (props.MaximumExecutionFrequency as string | undefined) ?? scheduled?.MaximumExecutionFrequency;
  const periodic = managed?.periodic === true || scheduled !== undefined || frequency !== undefined;
  const changeTriggered = managed
    ? managed.change
    : details.length > 0
      ? details.some((detail) => detail.MessageType?.includes('ConfigurationItemChangeNotification'))
      : scope !== undefined || !periodic;
  const types = (scope?.ComplianceResourceTypes ?? managed?.types)?.map(
    (type) => CLOUDFORMATION_TYPE[type] ?? type,
  );
  const all = [...counts.values()].reduce((sum, n) => sum + n, 0);
  let resourcesInScope = all;
  if (scope?.ComplianceResourceId) resourcesInScope = 1;
  else if (types) resourcesInScope = types.reduce((sum, type) => sum + (counts.get(type) ?? 0), 0);
  // A scheduled check with nothing of its types to look at still records one result for the account.
  if (periodic && !changeTriggered) resourcesInScope = Math.max(1, resourcesInScope);
  return {
    changeTriggered,
    runsPerMonth: periodic ? 730 / (HOURS_OF[frequency ?? 'TwentyFour_Hours'] ?? 24) : 0,
    resourcesInScope,
  };
}

/** Each region's AWS Config recorder, what it records and its rules, from the stage's templates. */
export function configRecordersOf(templates: readonly Template[]): ConfigRecorder[] {
  const { regional, global } = recordedTypes(templates);
  const recorders: ConfigRecorder[] = [];
  for (const template of templates) {
    const resources: [string, Resource][] = Object.entries(template.Resources ?? {});
    const recorder = resources.find(([, resource]) => resource.Type === 'AWS::Config::ConfigurationRecorder');
    if (!recorder) continue;
    const group = (recorder[1].Properties?.RecordingGroup ?? {}) as { IncludeGlobalResourceTypes?: boolean };
    const counts = new Map(regional.get(template.region));
    if (group.IncludeGlobalResourceTypes === true) for (const [type, n] of global) add(counts, type, n);
    recorders.push({
      region: template.region,
      resources: [...counts.values()].reduce((sum, n) => sum + n, 0),
      rules: resources
        .filter(([, resource]) => resource.Type === 'AWS::Config::ConfigRule')
        .map(([, resource]) => ruleOf(resource.Properties ?? {}, counts)),
    });
  }
  return recorders;
}
