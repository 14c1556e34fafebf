/**
 * THE stage table: what each growth stage runs. Runtime wiring (which adapter serves each port)
 * and the CDK app (which resources exist) both read this table and nothing else, so a stage is
 * changed in exactly one place. Each stage is a superset of the one before.
 */

export const STAGES = ['startup', 'growing', 'scaling', 'enterprise'] as const;
export type Stage = (typeof STAGES)[number];

export type JobsAdapter = 'inline' | 'sqs';
export type CacheAdapter = 'none' | 'memory' | 'redis';
export type SessionsAdapter = 'dynamodb' | 'redis' | 'cognito';
export type SearchAdapter = 'table' | 'memory-index' | 'opensearch';
export type AnalyticsAdapter = 'dynamodb-counters' | 'kinesis';
export type ApiCompute = 'lambda' | 'lambda+fargate' | 'lambda+eks';

export interface StageCapabilities {
  readonly stage: Stage;
  /** Monthly active users this stage is sized for: the band `bandHolds` reads, (min, max]. */
  readonly users: { readonly min: number; readonly max: number | null };
  /** How many AWS regions serve traffic. */
  readonly regions: 1 | 2 | 3;
  readonly web: {
    readonly cachePolicies: boolean;
    /**
     * The product pages for crawlers and link previews (docs/edge.md). True (enterprise): a
     * Lambda@Edge function on the `/products/*` behavior renders the product's tags and JSON-LD
     * into the app shell for requests its CloudFront Function marks as a crawler's. False
     * (startup to scaling): CloudFront serves every `/products/*` request the plain app shell,
     * so a preview shows the shop's own card; rendering them in the API instead would put a
     * Lambda invocation or a task's request behind every crawler's page, which is not free.
     * The local server renders them at every stage, with the same renderer.
     */
    readonly edgeFunctions: boolean;
  };
  readonly api: {
    readonly compute: ApiCompute;
    /** API Gateway stage cache for GET /api/products*. */
    readonly gatewayCache: boolean;
  };
  readonly data: {
    readonly pointInTimeRecovery: boolean;
    readonly backupPlan: boolean;
    /** DynamoDB global table with a replica per region, and Route 53 latency/failover records. */
    readonly globalTable: boolean;
  };
  readonly jobs: JobsAdapter;
  readonly cache: CacheAdapter;
  readonly sessions: SessionsAdapter;
  readonly search: SearchAdapter;
  readonly analytics: AnalyticsAdapter;
  readonly security: {
    readonly cdkNag: true;
    /** CloudTrail across regions, log file validation, into an access-logged bucket. */
    readonly auditTrail: boolean;
    /**
     * The audit trail's logs locked against deletion (S3 Object Lock, compliance mode), and AWS
     * Config recording every region's resources with managed rules for encryption, public access
     * and backups.
     */
    readonly complianceRecording: boolean;
    readonly budgets: boolean;
    readonly waf: boolean;
    readonly shieldAdvanced: boolean;
  };
  readonly observability: {
    readonly alarms: boolean;
    readonly dashboard: boolean;
    readonly tracing: boolean;
    readonly prometheus: boolean;
    /**
     * An ELK-style log store: the API's and the functions' logs, through CloudWatch Logs
     * subscription filters and Firehose, into a logs index of the OpenSearch domain, with a
     * dashboard of errors by route and region.
     */
    readonly logStore: boolean;
  };
}

const startup: StageCapabilities = {
  stage: 'startup',
  users: { min: 0, max: 10_000 },
  regions: 1,
  // Crawlers get the plain app shell on /products/* (no edge function) until enterprise.
  web: { cachePolicies: false, edgeFunctions: false },
  api: { compute: 'lambda', gatewayCache: false },
  data: { pointInTimeRecovery: false, backupPlan: false, globalTable: false },
  jobs: 'inline',
  cache: 'none',
  sessions: 'dynamodb',
  search: 'table',
  analytics: 'dynamodb-counters',
  security: {
    cdkNag: true,
    auditTrail: false,
    complianceRecording: false,
    budgets: false,
    waf: false,
    shieldAdvanced: false,
  },
  observability: { alarms: false, dashboard: false, tracing: false, prometheus: false, logStore: false },
};

const growing: StageCapabilities = {
  ...startup,
  stage: 'growing',
  users: { min: 10_000, max: 100_000 },
  web: { ...startup.web, cachePolicies: true },
  api: { ...startup.api, gatewayCache: true },
  data: { ...startup.data, pointInTimeRecovery: true, backupPlan: true },
  jobs: 'sqs',
  cache: 'memory',
  search: 'memory-index',
  security: { ...startup.security, auditTrail: true, budgets: true },
  observability: { ...startup.observability, alarms: true, dashboard: true },
};

const scaling: StageCapabilities = {
  ...growing,
  stage: 'scaling',
  users: { min: 100_000, max: 1_000_000 },
  regions: 2,
  api: { ...growing.api, compute: 'lambda+fargate' },
  data: { ...growing.data, globalTable: true },
  cache: 'redis',
  sessions: 'redis',
  security: { ...growing.security, waf: true },
  observability: { ...growing.observability, tracing: true },
};

const enterprise: StageCapabilities = {
  ...scaling,
  stage: 'enterprise',
  users: { min: 1_000_000, max: null },
  regions: 3,
  // Crawlers' product pages rendered at the edge (Lambda@Edge from the nearest table replica).
  web: { ...scaling.web, edgeFunctions: true },
  api: { ...scaling.api, compute: 'lambda+eks' },
  sessions: 'cognito',
  search: 'opensearch',
  analytics: 'kinesis',
  security: { ...scaling.security, shieldAdvanced: true, complianceRecording: true },
  observability: { ...scaling.observability, prometheus: true, logStore: true },
  // Locally: the Cognito and Kinesis stand-ins; search stays on the in-process index (and says so).
};

/** The stage table, in growth order. */
export const STAGE_TABLE: Readonly<Record<Stage, StageCapabilities>> = {
  startup,
  growing,
  scaling,
  enterprise,
};

/** The capabilities of one stage. */
export function capabilitiesOf(stage: Stage): StageCapabilities {
  return STAGE_TABLE[stage];
}

/** Type guard for a stage name given as text (CLI flag, environment variable). */
export function isStage(value: string): value is Stage {
  return (STAGES as readonly string[]).includes(value);
}

/** A stage's band of monthly active users, as the plan and the advisor read it. */
export type UserBand = StageCapabilities['users'];

/**
 * THE band rule, for the plan, the advisor and the console alike: a stage fits users in
 * (min, max], the startup stage in [0, max]. So 10,000 users fit startup and 10,001 growing, and
 * every count belongs to exactly one band.
 */
export function bandHolds(band: UserBand, users: number): boolean {
  const aboveFloor = band.min === 0 ? users >= 0 : users > band.min;
  return aboveFloor && (band.max === null || users <= band.max);
}

/** Whether `users` is past the band's top, so the stage is too small for them. */
export function aboveBand(band: UserBand, users: number): boolean {
  return band.max !== null && users > band.max;
}

/** The band as people read it: "0-10,000", "10,001-100,000", "1,000,001 or more". */
export function bandLabel(band: UserBand): string {
  const floor = (band.min === 0 ? 0 : band.min + 1).toLocaleString('en-US');
  return band.max === null ? `${floor} or more` : `${floor}-${band.max.toLocaleString('en-US')}`;
}

/** The stage whose band holds `users`. */
export function stageForUsers(users: number): Stage {
  return STAGES.find((stage) => bandHolds(STAGE_TABLE[stage].users, users)) ?? 'enterprise';
}

/** The stage after this one, or null at the top. */
export function nextStage(stage: Stage): Stage | null {
  return STAGES[STAGES.indexOf(stage) + 1] ?? null;
}
