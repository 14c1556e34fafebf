import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../contracts/errors.js';
import { z } from '../contracts/zod.js';

/** What the CDK app needs beyond the stage: where to deploy and whom to tell. Defaults beside the schema. */
export const InfraConfigSchema = z.strictObject({
  /** 12-digit AWS account; omit for an environment-agnostic synth. */
  account: z
    .string()
    .regex(/^\d{12}$/, 'must be a 12-digit AWS account id')
    .optional(),
  primaryRegion: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must look like us-east-1')
    .default('us-east-1'),
  /** Receives alarms and budget alerts. */
  alarmEmail: z.email().default('ops@example.com'),
  /** Sender of the storefront's e-mail: a verified SES identity in the primary region. */
  mailFrom: z.email().default('shop@example.com'),
  /** Monthly AWS Budgets limit in USD (alerts at 80 % and 100 %). */
  monthlyBudgetUsd: z.number().positive().max(10_000_000).default(200),
  /** Regions beyond the primary, used from the scaling stage on (scaling takes the first). */
  secondaryRegions: z
    .array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must look like eu-west-1'))
    .min(1)
    .max(4)
    .default(['eu-west-1', 'ap-southeast-1']),
  /**
   * The public Route 53 zone for the site's own domain (optional) and the API's latency records
   * and failover (required from the scaling stage on): `api.<zoneName>` points at the nearest
   * healthy region. Either an existing zone, by `hostedZoneId`, or `create: true` for a new zone
   * in the primary region's stack, whose name servers the domain's registrar must then list.
   */
  hostedZone: z
    .strictObject({
      zoneName: z.string().regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, 'must be a domain name like shop.example.com'),
      hostedZoneId: z
        .string()
        .regex(/^Z[A-Z0-9]{1,31}$/, 'must be a Route 53 zone id like Z0123456789ABC')
        .optional(),
      create: z.literal(true).optional(),
    })
    .refine((zone) => (zone.hostedZoneId === undefined) !== (zone.create === undefined), {
      error: 'give hostedZoneId (an existing zone) or create: true (a new one), not both',
    })
    .optional(),
  /** ElastiCache node type of the scaling stage's cache (a primary and a replica per region). */
  cacheNodeType: z
    .string()
    .regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, 'must be an ElastiCache node type like cache.m7g.large')
    .default('cache.m7g.large'),
  /** API tasks per region at the scaling stage: the floor of the autoscaling range (at least 2, one per zone). */
  apiMinTasks: z.number().int().min(2).max(100).default(2),
  apiMaxTasks: z.number().int().min(2).max(500).default(10),
  /** The enterprise stage's EKS managed node group per region: Graviton instances, at least one per zone. */
  eksNodeInstanceType: z
    .string()
    .regex(
      /^[a-z][a-z0-9-]*g[a-z0-9-]*\.[a-z0-9]+$/,
      'must be a Graviton (ARM64) instance type like m7g.large',
    )
    .default('m7g.large'),
  eksMinNodes: z.number().int().min(2).max(100).default(3),
  eksMaxNodes: z.number().int().min(2).max(450).default(12),
  /**
   * Who may reach each enterprise cluster's Kubernetes API from the internet, as IPv4 CIDR blocks
   * (an office, a VPN's egress). Empty, the default: the endpoint is private to the VPC, where the
   * deploy's kubectl function runs, and people use kubectl from inside the VPC (a bastion through
   * Session Manager, a VPN or Direct Connect). Every call still needs an IAM identity with an
   * access entry.
   */
  eksPublicAccessCidrs: z
    .array(
      z
        .string()
        .regex(/^(\d{1,3}\.){3}\d{1,3}\/(\d|[12]\d|3[0-2])$/, 'must be IPv4 CIDR blocks like 203.0.113.0/24')
        .refine((cidr) => !cidr.endsWith('/0'), {
          error: 'must not be /0: that is the whole internet; leave the list empty for a private endpoint',
        }),
    )
    .max(40)
    .default([]),
  /**
   * The enterprise search domain's gp3 volume per data node (two per region), in GB. It holds the
   * product index and the log store's indices: `growstack plan` says how much the logs need.
   * OpenSearch's ceiling for an m7g.large.search node is 1,024 GB
   * (https://docs.aws.amazon.com/opensearch-service/latest/developerguide/limits.html).
   */
  searchVolumeGb: z.number().int().min(10).max(1024).default(50),
  /**
   * What answers the enterprise stage's analytics reports over the event files: `athena` (per
   * query, per TB scanned) or `redshift`, a Redshift Serverless warehouse at its 8-RPU base
   * capacity (per RPU-hour, in its own three-zone VPC) that reads the same files through an
   * external schema. `growstack plan` prices both and says where each wins. Other stages have
   * no analytics pipeline and ignore it.
   */
  analyticsEngine: z.enum(['athena', 'redshift']).default('athena'),
  /** Days the enterprise log store keeps a day's logs index before its lifecycle policy deletes it. */
  logRetentionDays: z.number().int().min(1).max(365).default(14),
  /**
   * The REST API stage's throttle (startup, growing): steady requests per second and the burst
   * above it, for all clients together; API Gateway answers 429 beyond. The account's own limit is
   * 10,000 rps per region (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html).
   */
  apiThrottleRatePerSecond: z.number().int().min(1).max(10_000).default(200),
  apiThrottleBurst: z.number().int().min(1).max(5_000).default(400),
  /**
   * Concurrent executions reserved for (and capping) the API function (startup, growing): a
   * flood then cannot starve the worker of concurrency, nor run up more than this many at once.
   * Off by default: a new account's concurrency quota can be as low as 10, and Lambda refuses a
   * reservation that leaves fewer than 100 unreserved
   * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html).
   */
  apiReservedConcurrency: z.number().int().min(1).max(10_000).optional(),
  /** WAF's per-IP rate rule: requests per 5 minutes (AWS's minimum is 10). */
  wafRateLimitPer5Min: z.number().int().min(10).max(2_000_000_000).default(2000),
  /**
   * The enterprise user pool's threat protection (Cognito Plus plan): `enforced` blocks risky
   * sign-ins, `audit` only records them, `off` keeps the cheaper Essentials plan.
   */
  cognitoThreatProtection: z.enum(['enforced', 'audit', 'off']).default('enforced'),
  /**
   * Where alarms page someone, besides the e-mail: a paging service's HTTPS endpoint for SNS
   * (PagerDuty: https://events.pagerduty.com/integration/<integration key>/enqueue).
   */
  pagingUrl: z
    .url({ protocol: /^https$/, error: 'must be an https:// URL (SNS posts alarms to it)' })
    .optional(),
  /** Prefix of every stack name. */
  appName: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]{0,30}$/, 'must start with a letter: letters, digits and -')
    .default('Growstack'),
});
export type InfraConfig = z.infer<typeof InfraConfigSchema>;
export type InfraConfigInput = z.input<typeof InfraConfigSchema>;

/** Flags of `growstack synth` that override a field of the file. */
const FLAG_OF: Partial<Record<keyof InfraConfig, string>> = {
  account: '--account',
  primaryRegion: '--region',
  alarmEmail: '--alarm-email',
};

/** Validates the config file's object merged with flag overrides; names the first wrong field. */
export function parseInfraConfig(fromFile: unknown, overrides: InfraConfigInput = {}): InfraConfig {
  if (typeof fromFile !== 'object' || fromFile === null || Array.isArray(fromFile)) {
    throw new ConfigError('growstack.config.ts: config: must be an object of settings');
  }
  const flags = stripUndefined(overrides);
  const parsed = InfraConfigSchema.safeParse({ ...fromFile, ...flags });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue?.code === 'unrecognized_keys') {
      const accepted = Object.keys(InfraConfigSchema.shape).join(', ');
      throw new ConfigError(
        `growstack.config.ts: ${issue.keys.join(', ')}: unknown setting (accepted: ${accepted})`,
      );
    }
    const field = String(issue?.path[0] ?? 'config') as keyof InfraConfig;
    const flag = FLAG_OF[field];
    const where = flag && field in flags ? `${flag} ${field}` : `growstack.config.ts: ${field}`;
    throw new ConfigError(`${where}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** Reads `growstack.config.ts` (its `config` export) from the repository root, if present. */
export async function loadInfraConfigFile(root: string): Promise<unknown> {
  const file = join(root, 'growstack.config.ts');
  if (!existsSync(file)) return {};
  let module: { config?: unknown };
  try {
    module = (await import(pathToFileURL(file).href)) as { config?: unknown };
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error);
    throw new ConfigError(`growstack.config.ts: cannot be loaded: ${reason}`);
  }
  if (module.config === undefined)
    throw new ConfigError("growstack.config.ts: config: missing, export it as 'export const config = {...}'");
  return module.config;
}

/** The validated deployment settings: growstack.config.ts, then flag overrides. */
export async function loadInfraConfig(root: string, overrides: InfraConfigInput = {}): Promise<InfraConfig> {
  return parseInfraConfig(await loadInfraConfigFile(root), overrides);
}

function stripUndefined(input: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}
