import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { topProductsSql } from '../../contracts/top-products-sql.js';
import { acknowledge } from '../acknowledge.js';
import { complianceReport } from '../compliance.js';
import { AnalyticsPipeline, EVENTS_PREFIX } from './analytics-pipeline.js';

function pipelineApp() {
  const app = new App();
  const stack = new Stack(app, 'Analytics', { env: { account: '123456789012', region: 'us-east-1' } });
  const accessLogs = new Bucket(stack, 'AccessLogs', {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    encryption: BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
  });
  acknowledge(accessLogs, { 'AwsSolutions-S1': 'The access-log bucket itself.' });
  new AnalyticsPipeline(stack, 'Analytics', { accessLogs, databaseName: 'growstack_analytics' });
  return { app, template: Template.fromStack(stack) };
}

describe('the analytics pipeline (enterprise)', () => {
  const { app, template } = pipelineApp();

  it('puts events on an encrypted on-demand stream that Firehose delivers to S3, compressed and partitioned by hour', () => {
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
    });
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamType: 'KinesisStreamAsSource',
      ExtendedS3DestinationConfiguration: Match.objectLike({
        CompressionFormat: 'GZIP',
        Prefix: EVENTS_PREFIX,
        BufferingHints: { IntervalInSeconds: 60, SizeInMBs: 64 },
      }),
    });
    expect(EVENTS_PREFIX).toBe('events/dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/');
  });

  it('describes the files for Athena with partition projection, and saves the top-products queries in a capped workgroup', () => {
    template.hasResourceProperties('AWS::Glue::Table', {
      DatabaseName: 'growstack_analytics',
      TableInput: Match.objectLike({
        Name: 'events',
        PartitionKeys: [
          { Name: 'dt', Type: 'string' },
          { Name: 'hour', Type: 'string' },
        ],
        Parameters: Match.objectLike({ 'projection.enabled': 'true', 'projection.dt.type': 'date' }),
      }),
    });
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: Match.objectLike({
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: 10 * 1024 ** 3,
      }),
    });
    for (const window of ['hour', 'day'] as const)
      template.hasResourceProperties('AWS::Athena::NamedQuery', {
        Name: `top-products-last-${window}`,
        QueryString: topProductsSql(window, { database: 'growstack_analytics', table: 'events' }),
      });
  });

  it('has no cdk-nag finding nobody acknowledged', () => {
    const open = complianceReport(app, []).filter((line) => line.status === 'non-compliant');
    expect(open.map((line) => `${line.rule} ${line.resource}`)).toEqual([]);
  });
});

describe('the top-products query', () => {
  it('ranks as the ops console does, prunes partitions, and bounds its window and limit', () => {
    const sql = topProductsSql('hour', { database: 'db', table: 'events' }, 5);
    expect(sql).toContain(`WHERE dt >= date_format(current_timestamp - interval '1' hour, '%Y-%m-%d')`);
    expect(sql).toContain(`from_iso8601_timestamp("at") >= current_timestamp - interval '1' hour`);
    expect(sql).toContain(`ORDER BY views DESC, "addsToCart" DESC, checkouts DESC, productid`);
    expect(sql).toMatch(/LIMIT 5$/);
    expect(topProductsSql('day', { database: 'db', table: 'events' })).toContain("interval '1' day");
    expect(() => topProductsSql('day', { database: 'db', table: 'events' }, 0)).toThrow(RangeError);
  });
});
