import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../contracts/errors.js';
import { STAGES } from '../contracts/stages.js';
import { TEMPLATE_CACHE_DIR } from '../contracts/templates.js';
import { z } from '../contracts/zod.js';

/** Every setting, parsed once at start-up. Defaults live here, next to the schema. */
export const ConfigSchema = z.object({
  stage: z.enum(STAGES).default('startup'),
  port: z.coerce.number().int().min(0).max(65535).default(3000),
  host: z.string().min(1).default('127.0.0.1'),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must look like us-east-1')
    .default('us-east-1'),
  tableName: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{3,255}$/, 'must be 3-255 characters of A-Z a-z 0-9 _ . -')
    .default('growstack'),
  /** Set locally to the DynamoDB Local endpoint; unset on AWS. */
  dynamodbEndpoint: z.url().optional(),
  /** True when running on one machine with the embedded stand-ins. */
  local: z.coerce.boolean().default(false),
  dataDir: z.string().min(1).default('.growstack'),
  /**
   * The synthesized-templates cache `growstack plan` fills (relative to the working directory):
   * the ops console's stage map and costs read it, so they price what the plan priced.
   */
  templateCacheDir: z.string().min(1).default(TEMPLATE_CACHE_DIR),
  sessionTtlHours: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24 * 7),
  /**
   * A session ends after this many minutes without a request (sliding), however long its
   * sessionTtlHours still runs. Sessions kept by the user pool (enterprise) end with their
   * 15-minute access tokens instead.
   */
  sessionIdleMinutes: z.coerce
    .number()
    .int()
    .min(5)
    .max(60 * 24 * 30)
    .default(60 * 24),
  /**
   * scrypt's cost as log2(N) for new password hashes (r=8, p=1): 17 is OWASP's recommendation
   * (128 MiB and a few hundred ms a hash). Older hashes are rehashed at the next login.
   * https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#scrypt
   */
  passwordHashCost: z.coerce.number().int().min(14).max(20).default(17),
  /** The job queue (growing and later); set by the CDK app on AWS and by the supervisor locally. */
  // Not z.url(): local stand-ins hand out hosts like sqs.us-east-1.127.0.0.1 that it refuses.
  queueUrl: z
    .string()
    .regex(/^https?:\/\/\S+$/, 'must be an http(s) URL')
    .optional(),
  /** SQS endpoint; set locally to fauxqs, unset on AWS. */
  sqsEndpoint: z.url().optional(),
  /** Sender of the storefront's e-mail (a verified SES identity on AWS). */
  mailFrom: z.email().default('shop@growstack.local'),
  /** SES endpoint; set locally to aws-ses-v2-local, unset on AWS. */
  sesEndpoint: z.url().optional(),
  /** prometheus: /metrics for a scraper (local, containers); emf: CloudWatch embedded metrics (Lambda). */
  telemetry: z.enum(['prometheus', 'emf']).default('prometheus'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Redis for the cache, sessions and rate limits (scaling on): `rediss://` for ElastiCache with TLS. */
  redisUrl: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL')
    .optional(),
  /** ElastiCache's AUTH token (injected from Secrets Manager); unset locally. */
  redisAuthToken: z.string().min(16).max(128).optional(),
  /** A Secrets Manager secret whose JSON field `token` is the cache's AUTH token (EKS pods). */
  redisAuthSecretArn: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/,
      'must be a Secrets Manager secret ARN',
    )
    .optional(),
  /** Requests per client per window on /api; 0 turns the limiter off. */
  rateLimit: z.coerce.number().int().min(0).max(1_000_000).default(1000),
  rateLimitWindowSeconds: z.coerce.number().int().min(1).max(3600).default(60),
  /** Units of one product a single order line may ask for. */
  orderMaxLineQuantity: z.coerce.number().int().min(1).max(1_000_000).default(10),
  /** Units in all that one order may ask for. */
  orderMaxQuantity: z.coerce.number().int().min(1).max(1_000_000).default(50),
  /**
   * Units of one product one account may buy per window (`orderWindowHours`), counted in the
   * table, so a single new account cannot buy up a product's stock; 0 turns the cap off.
   */
  orderMaxProductQuantityPerWindow: z.coerce.number().int().min(0).max(1_000_000).default(10),
  orderWindowHours: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 31)
    .default(24),
  /** Analytics events (POST /api/events, no sign-in) per client per window; 0 turns the bound off. */
  eventRateLimit: z.coerce.number().int().min(0).max(1_000_000).default(120),
  eventRateLimitWindowSeconds: z.coerce.number().int().min(1).max(3600).default(60),
  /** The container's drain time on SIGTERM: below the 30 s ECS waits before SIGKILL. */
  shutdownGraceSeconds: z.coerce.number().int().min(1).max(600).default(25),
  /** Proxies that append to X-Forwarded-For in front of the app (CloudFront + ALB: 2); 0 locally. */
  trustedProxies: z.coerce.number().int().min(0).max(5).default(0),
  /**
   * The secret CloudFront sends to the API in `x-origin-verify` (on AWS). With it, the forwarded
   * client address is believed only on requests that carry it.
   */
  originVerifySecret: z
    .string()
    .regex(/^[A-Za-z0-9]{32,128}$/, 'must be 32-128 letters and digits')
    .optional(),
  /** A Secrets Manager secret whose JSON field `value` is that secret (the containers read it at start). */
  originVerifySecretArn: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/,
      'must be a Secrets Manager secret ARN',
    )
    .optional(),
  /** Refuse /api requests that lack the origin secret (403), health checks excepted. */
  originVerifyRequired: z.union([z.boolean(), z.stringbool()]).default(false),
  /**
   * Where the container sends its OpenTelemetry spans (OTLP/HTTP): the ADOT collector beside it,
   * which forwards them to X-Ray. Unset: no spans (Lambda traces through X-Ray's active tracing).
   */
  otlpEndpoint: z.url().optional(),
  /** Share of requests traced (0–1) when no caller decided; the cost plan assumes 5 %. */
  traceSampleRate: z.coerce.number().min(0).max(1).default(0.05),
  /** The Kinesis stream analytics events go to (enterprise). */
  kinesisStream: z
    .string()
    .regex(
      /^([a-zA-Z0-9_.-]{1,128}|arn:aws[a-z-]*:kinesis:[a-z0-9-]+:\d{12}:stream\/[a-zA-Z0-9_.-]{1,128})$/,
      'must be a Kinesis stream name or stream ARN',
    )
    .optional(),
  /** Kinesis endpoint; set locally to the kinesalite stand-in, unset on AWS. */
  kinesisEndpoint: z.url().optional(),
  /** The OpenSearch domain's endpoint (https://…es.amazonaws.com) for product search (enterprise). */
  opensearchEndpoint: z.url().optional(),
  /** The Cognito user pool users sign in through (enterprise on AWS), e.g. us-east-1_AbC123xyz. */
  cognitoUserPoolId: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d_[A-Za-z0-9]+$/, 'must be a user pool id like us-east-1_AbC123xyz')
    .optional(),
  /** The pool's app client the API signs users in through. */
  cognitoClientId: z
    .string()
    .regex(/^[a-z0-9]{1,128}$/, 'must be a Cognito app client id')
    .optional(),
});

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

/** Environment variable that feeds each setting. */
const ENV_NAMES: Readonly<Record<keyof Config, string>> = {
  stage: 'GROWSTACK_STAGE',
  port: 'PORT',
  host: 'HOST',
  region: 'AWS_REGION',
  tableName: 'TABLE_NAME',
  dynamodbEndpoint: 'DYNAMODB_ENDPOINT',
  local: 'GROWSTACK_LOCAL',
  dataDir: 'GROWSTACK_DATA_DIR',
  templateCacheDir: 'GROWSTACK_TEMPLATE_CACHE',
  sessionTtlHours: 'SESSION_TTL_HOURS',
  sessionIdleMinutes: 'SESSION_IDLE_MINUTES',
  passwordHashCost: 'PASSWORD_HASH_COST',
  queueUrl: 'QUEUE_URL',
  sqsEndpoint: 'SQS_ENDPOINT',
  mailFrom: 'MAIL_FROM',
  sesEndpoint: 'SES_ENDPOINT',
  telemetry: 'GROWSTACK_TELEMETRY',
  logLevel: 'LOG_LEVEL',
  redisUrl: 'REDIS_URL',
  redisAuthToken: 'REDIS_AUTH_TOKEN',
  redisAuthSecretArn: 'REDIS_AUTH_SECRET_ARN',
  rateLimit: 'RATE_LIMIT',
  rateLimitWindowSeconds: 'RATE_LIMIT_WINDOW_SECONDS',
  trustedProxies: 'TRUSTED_PROXIES',
  orderMaxLineQuantity: 'ORDER_MAX_LINE_QUANTITY',
  orderMaxQuantity: 'ORDER_MAX_QUANTITY',
  orderMaxProductQuantityPerWindow: 'ORDER_MAX_PRODUCT_QUANTITY_PER_WINDOW',
  orderWindowHours: 'ORDER_WINDOW_HOURS',
  eventRateLimit: 'EVENT_RATE_LIMIT',
  eventRateLimitWindowSeconds: 'EVENT_RATE_LIMIT_WINDOW_SECONDS',
  originVerifySecret: 'ORIGIN_VERIFY_SECRET',
  originVerifySecretArn: 'ORIGIN_VERIFY_SECRET_ARN',
  originVerifyRequired: 'ORIGIN_VERIFY_REQUIRED',
  shutdownGraceSeconds: 'SHUTDOWN_GRACE_SECONDS',
  otlpEndpoint: 'OTEL_EXPORTER_OTLP_ENDPOINT',
  traceSampleRate: 'TRACE_SAMPLE_RATE',
  kinesisStream: 'KINESIS_STREAM',
  kinesisEndpoint: 'KINESIS_ENDPOINT',
  opensearchEndpoint: 'OPENSEARCH_ENDPOINT',
  cognitoUserPoolId: 'COGNITO_USER_POOL_ID',
  cognitoClientId: 'COGNITO_CLIENT_ID',
};

/**
 * Builds the configuration from the environment, then explicit overrides (command-line flags).
 * Throws a ConfigError naming the first wrong field, where it came from (the override's flag in
 * `flags`, else its environment variable) and what it accepts.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: ConfigInput = {},
  flags: Partial<Readonly<Record<keyof Config, string>>> = {},
): Config {
  const fromEnv: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(ENV_NAMES)) {
    const value = env[name];
    if (value !== undefined && value !== '') fromEnv[key] = key === 'local' ? value === 'true' : value;
  }
  const parsed = ConfigSchema.safeParse({ ...fromEnv, ...withoutUndefined(overrides) });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? 'config') as keyof Config;
    const overridden = (overrides as Record<string, unknown>)[field] !== undefined;
    const source = (overridden ? flags[field] : undefined) ?? ENV_NAMES[field];
    throw new ConfigError(`${field}${source ? ` (${source})` : ''}: ${issue?.message ?? 'invalid'}`);
  }
  const config = parsed.data;
  if (config.originVerifyRequired && !config.originVerifySecret && !config.originVerifySecretArn)
    throw new ConfigError(
      'originVerifyRequired (ORIGIN_VERIFY_REQUIRED): needs the secret, ORIGIN_VERIFY_SECRET or ORIGIN_VERIFY_SECRET_ARN',
    );
  const absolute = (path: string) => (isAbsolute(path) ? path : resolve(path));
  return {
    ...config,
    dataDir: absolute(config.dataDir),
    templateCacheDir: absolute(config.templateCacheDir),
  };
}

function withoutUndefined(input: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}
