import { join } from 'node:path';
import { Aws, Duration, type Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment } from 'aws-cdk-lib/aws-s3-deployment';
import { acknowledge } from '../acknowledge.js';
import { AnalyticsPipeline } from '../constructs/analytics-pipeline.js';
import { AnalyticsWarehouse } from '../constructs/analytics-warehouse.js';
import { acknowledgeBucketDeployment, uiSource } from '../constructs/site.js';
import type { InfraConfig } from '../infra-config.js';
import { eventStreamNameOf, webBucketNameOf } from '../resource-names.js';

// Added to the stack itself (not a child construct), so every logical id stays what it was when
// this lived in the stack.
/** Events from every region's API, into the primary region's stream, files and queries. */
export function analyticsTier(stack: Stack, config: InfraConfig): void {
  const accessLogs = new Bucket(stack, 'AnalyticsAccessLogs', {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    encryption: BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    lifecycleRules: [{ expiration: Duration.days(90) }],
  });
  acknowledge(accessLogs, {
    'AwsSolutions-S1': "This is the analytics buckets' access-log bucket itself.",
  });
  const pipeline = new AnalyticsPipeline(stack, 'Analytics', {
    accessLogs,
    databaseName: `${config.appName.toLowerCase().replace(/-/g, '_')}_analytics`,
    streamName: eventStreamNameOf(config),
    engine: config.analyticsEngine,
  });
  if (config.analyticsEngine === 'redshift')
    new AnalyticsWarehouse(stack, 'Warehouse', {
      bucket: pipeline.bucket,
      databaseName: pipeline.databaseName,
      database: pipeline.database,
      name: config.appName.toLowerCase(),
    });
}

/**
 * A secondary region's copy of the web UI, which the primary region's CloudFront reads through
 * Origin Access Control when the primary bucket fails: only CloudFront distributions of this
 * account may read it.
 */
export function webReplica(stack: Stack, config: InfraConfig, region: string, root: string): void {
  const webDist = join(root, 'web', 'dist');
  const bucket = new Bucket(stack, 'WebReplica', {
    bucketName: webBucketNameOf(config, region),
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    encryption: BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    versioned: true,
  });
  acknowledge(bucket, {
    'AwsSolutions-S1':
      'A standby copy of the UI read only by CloudFront, whose standard logs record every request.',
  });
  bucket.addToResourcePolicy(
    new PolicyStatement({
      actions: ['s3:GetObject'],
      resources: [bucket.arnForObjects('*')],
      principals: [new ServicePrincipal('cloudfront.amazonaws.com')],
      conditions: {
        ArnLike: { 'AWS:SourceArn': `arn:${Aws.PARTITION}:cloudfront::${Aws.ACCOUNT_ID}:distribution/*` },
      },
    }),
  );
  new BucketDeployment(stack, 'WebReplicaDeploy', {
    sources: [uiSource(webDist)],
    destinationBucket: bucket,
    memoryLimit: 256,
  });
  acknowledgeBucketDeployment(stack, bucket);
}
