import { ConfigError } from '../contracts/errors.js';
import type { Bill } from './bill.js';
import { type Calculator, defineCalculator } from './calculator.js';
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
import { Ec2UsageSchema, priceEc2 } from './calculators/ec2.js';
import { FargateUsageSchema, priceFargate } from './calculators/fargate.js';
import { LambdaUsageSchema, priceLambda } from './calculators/lambda.js';
import { LambdaEdgeUsageSchema, priceLambdaEdge } from './calculators/lambda-edge.js';
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
import { PrometheusUsageSchema, pricePrometheus } from './calculators/prometheus.js';
import { priceShield, priceWaf, ShieldUsageSchema, WafUsageSchema } from './calculators/protection.js';
import { priceXRay, XRayUsageSchema } from './calculators/xray.js';

/** Every service `growstack price` knows, with its usage schema and calculator. */
export const CALCULATORS = {
  lambda: defineCalculator(LambdaUsageSchema, priceLambda),
  apigateway: defineCalculator(ApiGatewayUsageSchema, priceApiGateway),
  fargate: defineCalculator(FargateUsageSchema, priceFargate),
  ec2: defineCalculator(Ec2UsageSchema, priceEc2),
  xray: defineCalculator(XRayUsageSchema, priceXRay),
  dynamodb: defineCalculator(DynamoDbUsageSchema, priceDynamoDb),
  sqs: defineCalculator(SqsUsageSchema, priceSqs),
  sns: defineCalculator(SnsUsageSchema, priceSns),
  ses: defineCalculator(SesUsageSchema, priceSes),
  s3: defineCalculator(S3UsageSchema, priceS3),
  cloudfront: defineCalculator(CloudFrontUsageSchema, priceCloudFront),
  lambdaedge: defineCalculator(LambdaEdgeUsageSchema, priceLambdaEdge),
  cloudwatch: defineCalculator(CloudWatchUsageSchema, priceCloudWatch),
  datatransfer: defineCalculator(DataTransferUsageSchema, priceDataTransfer),
  backup: defineCalculator(BackupUsageSchema, priceBackup),
  secretsmanager: defineCalculator(SecretsManagerUsageSchema, priceSecretsManager),
  kms: defineCalculator(KmsUsageSchema, priceKms),
  natgateway: defineCalculator(NatGatewayUsageSchema, priceNatGateway),
  alb: defineCalculator(AlbUsageSchema, priceAlb),
  route53: defineCalculator(Route53UsageSchema, priceRoute53),
  waf: defineCalculator(WafUsageSchema, priceWaf),
  shield: defineCalculator(ShieldUsageSchema, priceShield),
  elasticache: defineCalculator(ElastiCacheUsageSchema, priceElastiCache),
  eks: defineCalculator(EksUsageSchema, priceEks),
  cognito: defineCalculator(CognitoUsageSchema, priceCognito),
  opensearch: defineCalculator(OpenSearchUsageSchema, priceOpenSearch),
  kinesis: defineCalculator(KinesisUsageSchema, priceKinesis),
  firehose: defineCalculator(FirehoseUsageSchema, priceFirehose),
  athena: defineCalculator(AthenaUsageSchema, priceAthena),
  redshift: defineCalculator(RedshiftUsageSchema, priceRedshift),
  config: defineCalculator(ConfigUsageSchema, priceConfig),
  prometheus: defineCalculator(PrometheusUsageSchema, pricePrometheus),
} as const satisfies Record<string, Calculator>;

export type PricedService = keyof typeof CALCULATORS;

/** Validates a usage document and prices it; a wrong field is a ConfigError naming it. */
export function priceUsage(usage: unknown, region: string): Bill {
  const service =
    typeof usage === 'object' && usage !== null ? (usage as { service?: unknown }).service : undefined;
  if (typeof service !== 'string' || !Object.hasOwn(CALCULATORS, service)) {
    throw new ConfigError(
      `service: must be one of ${Object.keys(CALCULATORS).join(', ')}, got ${JSON.stringify(service ?? null)}`,
      { setting: 'service' },
    );
  }
  return CALCULATORS[service as PricedService].priceDocument(usage, region);
}
