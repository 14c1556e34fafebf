import type { z } from 'zod';
import { ConfigError } from '../contracts/errors.js';
import type { Bill } from './bill.js';
import {
  AthenaUsageSchema,
  FirehoseUsageSchema,
  KinesisUsageSchema,
  priceAthena,
  priceFirehose,
  priceKinesis,
  priceRedshift,
  RedshiftUsageSchema,
} from './calculators/analytics.js';
import { ApiGatewayUsageSchema, priceApiGateway } from './calculators/apigateway.js';
import {
  BackupUsageSchema,
  KmsUsageSchema,
  priceBackup,
  priceKms,
  priceSecretsManager,
  SecretsManagerUsageSchema,
} from './calculators/backup.js';
import { CloudWatchUsageSchema, priceCloudWatch } from './calculators/cloudwatch.js';
import { ConfigUsageSchema, priceConfig } from './calculators/config.js';
import {
  CloudFrontUsageSchema,
  DataTransferUsageSchema,
  priceCloudFront,
  priceDataTransfer,
  priceS3,
  S3UsageSchema,
} from './calculators/delivery.js';
import { DynamoDbUsageSchema, priceDynamoDb } from './calculators/dynamodb.js';
import { FargateUsageSchema, priceFargate } from './calculators/fargate.js';
import { LambdaUsageSchema, priceLambda } from './calculators/lambda.js';
import {
  CognitoUsageSchema,
  EksUsageSchema,
  ElastiCacheUsageSchema,
  OpenSearchUsageSchema,
  priceCognito,
  priceEks,
  priceElastiCache,
  priceOpenSearch,
} from './calculators/managed-services.js';
import {
  priceSes,
  priceSns,
  priceSqs,
  SesUsageSchema,
  SnsUsageSchema,
  SqsUsageSchema,
} from './calculators/messaging.js';
import {
  AlbUsageSchema,
  NatGatewayUsageSchema,
  priceAlb,
  priceNatGateway,
  priceRoute53,
  Route53UsageSchema,
} from './calculators/network.js';
import { priceShield, priceWaf, ShieldUsageSchema, WafUsageSchema } from './calculators/protection.js';
import { priceXRay, XRayUsageSchema } from './calculators/xray.js';

/** Every service `growstack price` knows, with its usage schema and calculator. */
export const CALCULATORS = {
  lambda: {
    schema: LambdaUsageSchema,
    price: priceLambda,
    fields:
      'requests*, durationMs* (average), memoryMb*, architecture (x86_64|arm64), ephemeralStorageMb (512), freeTier, provisionedConcurrency {concurrency, hours, requests, durationMs}',
  },
  apigateway: {
    schema: ApiGatewayUsageSchema,
    price: priceApiGateway,
    fields:
      'apiType* (http|rest|websocket), requests, requestKb, responseKb, cacheSizeGb, cacheHours (730), messages, messageKb, connectionMinutes, freeTier',
  },
  fargate: {
    schema: FargateUsageSchema,
    price: priceFargate,
    fields:
      'platform (ecs|eks), os (linux|windows), architecture, tasks*, vcpu*, memoryGb*, ephemeralStorageGb (20), hoursPerTask*',
  },
  xray: {
    schema: XRayUsageSchema,
    price: priceXRay,
    fields: 'tracesRecorded, tracesRetrieved, tracesScanned, insights (boolean), freeTier',
  },
  dynamodb: {
    schema: DynamoDbUsageSchema,
    price: priceDynamoDb,
    fields:
      'readRequestUnits, writeRequestUnits, storageGb, tableClass (standard|standard-ia), pitr (false), backupGb, restoreGb, replicatedWriteUnits, streamReadRequests, freeTier',
  },
  sqs: {
    schema: SqsUsageSchema,
    price: priceSqs,
    fields: 'requests*, messageKb (64: each 64 KB chunk is a request), queueType (standard|fifo), freeTier',
  },
  sns: {
    schema: SnsUsageSchema,
    price: priceSns,
    fields:
      'publishes, messageKb (64), httpDeliveries, emailDeliveries, sqsDeliveries, lambdaDeliveries, freeTier',
  },
  ses: {
    schema: SesUsageSchema,
    price: priceSes,
    fields: 'emails*, attachmentsGb, freeTier (3,000 a month, first 12 months)',
  },
  s3: {
    schema: S3UsageSchema,
    price: priceS3,
    fields: 'storageGb, putRequests, getRequests, dataTransferOutGb, storageClass (standard), freeTier',
  },
  cloudfront: {
    schema: CloudFrontUsageSchema,
    price: priceCloudFront,
    fields:
      'requests, dataTransferOutGb, functionInvocations, lambdaEdgeRequests, lambdaEdgeDurationMs, lambdaEdgeMemoryMb (128), originShieldRequests, freeTier',
  },
  cloudwatch: {
    schema: CloudWatchUsageSchema,
    price: priceCloudWatch,
    fields:
      'logsIngestedGb, logsStoredGb, logsInsightsScannedGb, customMetrics, alarms (alarm metrics), highResolutionAlarms, dashboards, metricApiRequests, freeTier',
  },
  datatransfer: {
    schema: DataTransferUsageSchema,
    price: priceDataTransfer,
    fields: 'internetOutGb, interRegionGb, sameRegionCrossAzGb, freeTier (100 GB out)',
  },
  backup: {
    schema: BackupUsageSchema,
    price: priceBackup,
    fields: 'dynamodbWarmGb, dynamodbColdGb, restoreGb',
  },
  secretsmanager: {
    schema: SecretsManagerUsageSchema,
    price: priceSecretsManager,
    fields: 'secrets, apiCalls',
  },
  kms: {
    schema: KmsUsageSchema,
    price: priceKms,
    fields: 'keys, requests, freeTier',
  },
  natgateway: {
    schema: NatGatewayUsageSchema,
    price: priceNatGateway,
    fields: 'gateways (1), hours (730), dataProcessedGb',
  },
  alb: {
    schema: AlbUsageSchema,
    price: priceAlb,
    fields: 'loadBalancers (1), hours (730), lcus (average LCUs per load balancer-hour)',
  },
  route53: {
    schema: Route53UsageSchema,
    price: priceRoute53,
    fields: 'hostedZones, standardQueries, latencyQueries, healthChecks',
  },
  waf: {
    schema: WafUsageSchema,
    price: priceWaf,
    fields: 'webAcls (1), rules, requests',
  },
  shield: {
    schema: ShieldUsageSchema,
    price: priceShield,
    fields: 'subscription (true), cloudfrontDataOutGb',
  },
  elasticache: {
    schema: ElastiCacheUsageSchema,
    price: priceElastiCache,
    fields:
      'mode (nodes|serverless), engine (valkey|redis), nodeType (cache.t4g.small), nodes (1), hours (730), dataStoredGb, ecpuMillions',
  },
  eks: {
    schema: EksUsageSchema,
    price: priceEks,
    fields: 'clusters (1), hours (730), supportTier (standard|extended)',
  },
  cognito: {
    schema: CognitoUsageSchema,
    price: priceCognito,
    fields: 'mau*, tier (lite|essentials|plus), freeTier (10,000 MAUs on lite and essentials)',
  },
  opensearch: {
    schema: OpenSearchUsageSchema,
    price: priceOpenSearch,
    fields:
      'instanceType (r7g.large.search), instances (1; 0 prices storage alone), hours (730), storageGb, dedicatedMasterType, dedicatedMasters, logStorageGb',
  },
  kinesis: {
    schema: KinesisUsageSchema,
    price: priceKinesis,
    fields:
      'mode (on-demand|provisioned), shards, hours (730), records, recordKb (1), dataInGb, dataOutGb, streams (1)',
  },
  firehose: {
    schema: FirehoseUsageSchema,
    price: priceFirehose,
    fields:
      'records*, recordKb (1), formatConversion, dynamicPartitioning, vpcDeliveryAzs (0), vpcDeliveryHours (730), vpcDeliveryGb (records x recordKb)',
  },
  athena: {
    schema: AthenaUsageSchema,
    price: priceAthena,
    fields: 'queries*, gbScannedPerQuery (0; at least 10 MB is billed)',
  },
  redshift: {
    schema: RedshiftUsageSchema,
    price: priceRedshift,
    fields: 'rpuHours*, baseRpu (8), storageGb',
  },
  config: {
    schema: ConfigUsageSchema,
    price: priceConfig,
    fields: 'configurationItems, ruleEvaluations (one region: the tiers count per region)',
  },
} as const satisfies Record<string, Calculator>;

/** One service's calculator: its usage schema, its pricing function, and its fields for --help. */
export interface Calculator {
  readonly schema: z.ZodType;
  // biome-ignore lint/suspicious/noExplicitAny: each calculator takes its own parsed usage type
  readonly price: (usage: any, region: string) => Bill;
  /** The usage fields as `growstack price --help` lists them: * marks required, (x) a default. */
  readonly fields: string;
}

export type PricedService = keyof typeof CALCULATORS;

/** Validates a usage document and prices it; a wrong field is a ConfigError naming it. */
export function priceUsage(usage: unknown, region: string): Bill {
  const service =
    typeof usage === 'object' && usage !== null ? (usage as { service?: unknown }).service : undefined;
  if (typeof service !== 'string' || !(service in CALCULATORS)) {
    throw new ConfigError(
      `service: must be one of ${Object.keys(CALCULATORS).join(', ')}, got ${JSON.stringify(service ?? null)}`,
    );
  }
  const calculator = CALCULATORS[service as PricedService];
  const parsed = (calculator.schema as z.ZodType).safeParse(usage);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field =
      issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue?.path.join('.') || 'usage';
    const message = issue?.code === 'unrecognized_keys' ? 'unknown field' : (issue?.message ?? 'invalid');
    throw new ConfigError(`${field}: ${message}`);
  }
  return (calculator.price as (usage: unknown, region: string) => Bill)(parsed.data, region);
}
