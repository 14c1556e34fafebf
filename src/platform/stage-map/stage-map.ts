import {
  STAGE_MAP_GROUPS,
  type StageMap,
  type StageMapBox,
  type StageMapDiff,
  type StageMapGroup,
} from '../../contracts/stage-map.js';
import type { Stage } from '../../contracts/stages.js';
import type { RegionTemplate } from '../../contracts/templates.js';

type Resource = NonNullable<RegionTemplate['Resources']>[string];
interface Rule {
  readonly id: string;
  readonly group: StageMapGroup;
  readonly label: string;
  readonly localStandIn?: string;
  /** How many of this box one resource makes (0: none). */
  readonly count: (resource: Resource, logicalId: string) => number;
}

const ofType =
  (...types: string[]) =>
  (resource: Resource) =>
    types.includes(resource.Type) ? 1 : 0;

/** A function's job, from the logical id its construct gives it (CDK's own handlers run at deploy time). */
const functionOf =
  (pattern: RegExp) =>
  (resource: Resource, logicalId: string): number =>
    resource.Type === 'AWS::Lambda::Function' && pattern.test(logicalId) ? 1 : 0;

const SQS_STAND_IN = 'the SQS stand-in (fauxqs)';
const IN_PROCESS = 'the same Hono app on @hono/node-server';

/**
 * Which box each resource type makes. Plumbing (roles, policies, permissions, subnets, routes)
 * makes none: the map shows what serves a request or keeps data, not how it is wired.
 */
const RULES: readonly Rule[] = [
  {
    id: 'cloudfront',
    group: 'edge',
    label: 'CloudFront',
    localStandIn: 'static files from web/dist',
    count: ofType('AWS::CloudFront::Distribution'),
  },
  {
    id: 'cloudfront-functions',
    group: 'edge',
    label: 'CloudFront Functions',
    count: ofType('AWS::CloudFront::Function'),
  },
  {
    id: 'lambda-edge',
    group: 'edge',
    label: 'Lambda@Edge',
    // Edge functions are the versions a distribution's cache behaviours name.
    count: (resource) =>
      resource.Type === 'AWS::CloudFront::Distribution'
        ? (JSON.stringify(resource.Properties ?? {}).match(/"LambdaFunctionARN"/g) ?? []).length
        : 0,
  },
  {
    id: 'waf',
    group: 'edge',
    label: 'WAF web ACL',
    localStandIn: 'the HTTP edge’s rate limit',
    count: ofType('AWS::WAFv2::WebACL'),
  },
  { id: 'shield', group: 'edge', label: 'Shield Advanced', count: ofType('AWS::Shield::Protection') },
  { id: 'dns', group: 'edge', label: 'Route 53 records', count: ofType('AWS::Route53::RecordSet') },
  {
    id: 'health-checks',
    group: 'edge',
    label: 'Route 53 health checks',
    localStandIn: 'GET /api/health',
    count: ofType('AWS::Route53::HealthCheck'),
  },
  {
    id: 'rest-api',
    group: 'api',
    label: 'API Gateway REST API',
    localStandIn: IN_PROCESS,
    count: ofType('AWS::ApiGateway::RestApi'),
  },
  {
    id: 'load-balancer',
    group: 'api',
    label: 'Application Load Balancer',
    localStandIn: IN_PROCESS,
    count: ofType('AWS::ElasticLoadBalancingV2::LoadBalancer'),
  },
  {
    id: 'lambda-api',
    group: 'api',
    label: 'Lambda: API',
    localStandIn: IN_PROCESS,
    count: functionOf(/^Api/),
  },
  {
    id: 'lambda-worker',
    group: 'api',
    label: 'Lambda: job worker',
    localStandIn: 'the local queue poller',
    count: functionOf(/^Worker/),
  },
  {
    id: 'lambda-indexer',
    group: 'api',
    label: 'Lambda: search indexer',
    count: functionOf(/Indexer/),
  },
  {
    id: 'ecs',
    group: 'compute',
    label: 'ECS Fargate service',
    localStandIn: 'the same server, one process',
    count: ofType('AWS::ECS::Service'),
  },
  {
    id: 'eks',
    group: 'compute',
    label: 'EKS cluster',
    localStandIn: 'the same server, one process',
    count: ofType('AWS::EKS::Cluster'),
  },
  { id: 'eks-nodes', group: 'compute', label: 'EKS node group', count: ofType('AWS::EKS::Nodegroup') },
  { id: 'nat', group: 'compute', label: 'VPC NAT gateways', count: ofType('AWS::EC2::NatGateway') },
  {
    id: 'dynamodb',
    group: 'data',
    label: 'DynamoDB table',
    localStandIn: 'DynamoDB Local',
    count: ofType('AWS::DynamoDB::GlobalTable', 'AWS::DynamoDB::Table'),
  },
  {
    id: 's3',
    group: 'data',
    label: 'S3 buckets',
    localStandIn: 'fauxqs (S3 in memory)',
    count: ofType('AWS::S3::Bucket'),
  },
  {
    id: 'backup',
    group: 'data',
    label: 'AWS Backup plan',
    localStandIn: 'growstack backup',
    count: ofType('AWS::Backup::BackupPlan'),
  },
  {
    id: 'sqs',
    group: 'queues',
    label: 'SQS queues',
    localStandIn: SQS_STAND_IN,
    count: ofType('AWS::SQS::Queue'),
  },
  {
    id: 'sns',
    group: 'queues',
    label: 'SNS topics',
    localStandIn: SQS_STAND_IN,
    count: ofType('AWS::SNS::Topic'),
  },
  {
    id: 'elasticache',
    group: 'caches',
    label: 'ElastiCache (Valkey)',
    localStandIn: 'redis-server',
    count: ofType('AWS::ElastiCache::ReplicationGroup', 'AWS::ElastiCache::ServerlessCache'),
  },
  {
    id: 'api-cache',
    group: 'caches',
    label: 'API Gateway cache',
    localStandIn: 'the in-process LRU cache',
    count: (resource) =>
      resource.Type === 'AWS::ApiGateway::Stage' && resource.Properties?.CacheClusterEnabled === true ? 1 : 0,
  },
  {
    id: 'opensearch',
    group: 'search',
    label: 'OpenSearch domain',
    localStandIn: 'the in-process index',
    count: ofType('AWS::OpenSearchService::Domain'),
  },
  {
    id: 'kinesis',
    group: 'analytics',
    label: 'Kinesis stream',
    localStandIn: 'kinesalite',
    count: ofType('AWS::Kinesis::Stream'),
  },
  {
    id: 'firehose',
    group: 'analytics',
    label: 'Firehose delivery streams',
    count: ofType('AWS::KinesisFirehose::DeliveryStream'),
  },
  { id: 'athena', group: 'analytics', label: 'Athena workgroup', count: ofType('AWS::Athena::WorkGroup') },
  { id: 'glue', group: 'analytics', label: 'Glue catalog', count: ofType('AWS::Glue::Database') },
  {
    id: 'redshift',
    group: 'analytics',
    label: 'Redshift Serverless',
    count: ofType('AWS::RedshiftServerless::Workgroup'),
  },
  {
    id: 'cognito',
    group: 'auth',
    label: 'Cognito user pool',
    localStandIn: 'the local JWKS issuer',
    count: ofType('AWS::Cognito::UserPool'),
  },
  {
    id: 'alarms',
    group: 'observability',
    label: 'CloudWatch alarms',
    localStandIn: 'GET /metrics',
    count: ofType('AWS::CloudWatch::Alarm'),
  },
  {
    id: 'dashboard',
    group: 'observability',
    label: 'CloudWatch dashboard',
    localStandIn: 'the ops console',
    count: ofType('AWS::CloudWatch::Dashboard'),
  },
  {
    id: 'logs',
    group: 'observability',
    label: 'CloudWatch log groups',
    localStandIn: 'JSON logs on stdout',
    count: ofType('AWS::Logs::LogGroup'),
  },
  {
    id: 'tracing',
    group: 'observability',
    label: 'X-Ray tracing',
    localStandIn: 'the ops console’s traces',
    count: (resource) =>
      (resource.Type === 'AWS::Lambda::Function' &&
        (resource.Properties?.TracingConfig as { Mode?: string } | undefined)?.Mode === 'Active') ||
      (resource.Type === 'AWS::ECS::TaskDefinition' && /xray|otel|collector/i.test(JSON.stringify(resource)))
        ? 1
        : 0,
  },
  {
    id: 'prometheus',
    group: 'observability',
    label: 'Managed Prometheus',
    localStandIn: 'GET /metrics',
    count: ofType('AWS::APS::Workspace'),
  },
  {
    id: 'log-transform',
    group: 'observability',
    label: 'Lambda: log transform',
    count: functionOf(/LogTransform/),
  },
  { id: 'trail', group: 'observability', label: 'CloudTrail', count: ofType('AWS::CloudTrail::Trail') },
  {
    id: 'config',
    group: 'observability',
    label: 'AWS Config recorder',
    count: ofType('AWS::Config::ConfigurationRecorder'),
  },
  { id: 'budget', group: 'observability', label: 'AWS Budgets', count: ofType('AWS::Budgets::Budget') },
];

/** Builds a stage's map from its synthesized templates, one per region, primary first. */
export function stageMapOf(stage: Stage, templates: readonly RegionTemplate[]): StageMap {
  return {
    stage,
    regions: templates.map((template) => {
      const counts = new Map<Rule, number>();
      for (const [logicalId, resource] of Object.entries(template.Resources ?? {}))
        for (const rule of RULES) {
          const count = rule.count(resource, logicalId);
          if (count > 0) counts.set(rule, (counts.get(rule) ?? 0) + count);
        }
      const boxes = RULES.filter((rule) => counts.has(rule))
        .map(
          (rule): StageMapBox => ({
            id: `${rule.group}.${rule.id}`,
            group: rule.group,
            label: rule.label,
            count: counts.get(rule) ?? 0,
            ...(rule.localStandIn ? { localStandIn: rule.localStandIn } : {}),
          }),
        )
        .sort((a, b) => STAGE_MAP_GROUPS.indexOf(a.group) - STAGE_MAP_GROUPS.indexOf(b.group));
      return { region: template.region, boxes };
    }),
  };
}

/** Compares two stages' maps box by box within each region. */
export function diffStageMaps(from: StageMap, to: StageMap): StageMapDiff {
  const boxesOf = (map: StageMap) =>
    new Map(
      map.regions.flatMap((region) =>
        region.boxes.map((box) => [`${region.region}/${box.id}`, { region: region.region, box }] as const),
      ),
    );
  const before = boxesOf(from);
  const after = boxesOf(to);
  const change = ({ region, box }: { region: string; box: StageMapBox }) => ({
    region,
    id: box.id,
    label: box.label,
  });
  const oldRegions = new Set(from.regions.map((region) => region.region));
  return {
    from: from.stage,
    to: to.stage,
    addedRegions: to.regions.map((region) => region.region).filter((region) => !oldRegions.has(region)),
    added: [...after].filter(([key]) => !before.has(key)).map(([, entry]) => change(entry)),
    removed: [...before].filter(([key]) => !after.has(key)).map(([, entry]) => change(entry)),
    resized: [...after].flatMap(([key, entry]) => {
      const old = before.get(key);
      return old && old.box.count !== entry.box.count
        ? [{ ...change(entry), from: old.box.count, to: entry.box.count }]
        : [];
    }),
  };
}

/** The keys a drawing highlights for a diff: each added box, and each added region whole. */
export function additionsOf(diff: StageMapDiff): Set<string> {
  return new Set([...diff.addedRegions, ...diff.added.map((change) => `${change.region}/${change.id}`)]);
}
