import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthStage, type TemplateResource } from '../../test/support/synth.js';
import type { SynthSummary } from './synthesize.js';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-1'] as const;
let summary: SynthSummary;
let scaling: Record<string, Template>;
let templates: Record<string, Template>;
let resources: Record<string, Record<string, TemplateResource>>;

beforeAll(async () => {
  // Not the defaults, so the test sees the settings reach the domain and its lifecycle policy.
  ({ summary, templates, resources } = await synthStage('enterprise', 'log-store', {
    logRetentionDays: 21,
    searchVolumeGb: 200,
  }));
  ({ templates: scaling } = await synthStage('scaling', 'log-store-scaling'));
}, 300_000);

const each = (check: (template: Template, region: string) => void) => {
  for (const region of REGIONS) check(templates[region] as Template, region);
};

/** The logical id of the one resource of a type whose id matches. */
function idOf(region: string, type: string, pattern: RegExp): string {
  const ids = Object.entries(resources[region] ?? {})
    .filter(([id, resource]) => resource.Type === type && pattern.test(id))
    .map(([id]) => id);
  expect(ids, `${type} ${pattern} in ${region}`).toHaveLength(1);
  return ids[0] ?? '';
}

describe('the enterprise log store', () => {
  it('synthesizes with no unacknowledged cdk-nag finding', () => {
    expect(summary.nag.unacknowledged).toEqual([]);
  });

  it('delivers to the domain’s daily logs indices through the VPC, via the transform, keeping failed documents', () => {
    each((template, region) => {
      const domain = idOf(region, 'AWS::OpenSearchService::Domain', /^Search/);
      const transform = idOf(region, 'AWS::Lambda::Function', /LogTransform/);
      const bucket = idOf(region, 'AWS::S3::Bucket', /^LogStore/);
      template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
        DeliveryStreamType: 'DirectPut',
        DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' },
        AmazonopensearchserviceDestinationConfiguration: Match.objectLike({
          DomainARN: { 'Fn::GetAtt': [domain, 'Arn'] },
          IndexName: 'logs',
          IndexRotationPeriod: 'OneDay',
          S3BackupMode: 'FailedDocumentsOnly',
          RetryOptions: { DurationInSeconds: 300 },
          BufferingHints: { IntervalInSeconds: 60, SizeInMBs: 5 },
          S3Configuration: Match.objectLike({ BucketARN: { 'Fn::GetAtt': [bucket, 'Arn'] } }),
          CloudWatchLoggingOptions: Match.objectLike({ Enabled: true }),
          VpcConfiguration: {
            RoleARN: Match.anyValue(),
            SubnetIds: Match.anyValue(),
            SecurityGroupIds: [Match.anyValue()],
          },
          ProcessingConfiguration: {
            Enabled: true,
            Processors: [
              {
                Type: 'Lambda',
                Parameters: Match.arrayWith([
                  { ParameterName: 'LambdaArn', ParameterValue: { 'Fn::GetAtt': [transform, 'Arn'] } },
                ]),
              },
            ],
          },
        }),
      });
      // Delivered through the private subnets with egress (the network's `app` subnets), from a
      // security group the domain's admits on 443.
      const [stream] = Object.values(
        template.findResources('AWS::KinesisFirehose::DeliveryStream', {
          Properties: { AmazonopensearchserviceDestinationConfiguration: Match.anyValue() },
        }),
      );
      const vpc = stream?.Properties.AmazonopensearchserviceDestinationConfiguration.VpcConfiguration;
      expect(JSON.stringify(vpc.SubnetIds)).toMatch(
        /^\[\{"Ref":"NetworkVpcappSubnet1\w+"\},\{"Ref":"NetworkVpcappSubnet2\w+"\}\]$/,
      );
      const deliveryGroup = vpc.SecurityGroupIds[0];
      const domainGroup = {
        'Fn::GetAtt': [idOf(region, 'AWS::EC2::SecurityGroup', /^SearchDomainSecurityGroup/), 'GroupId'],
      };
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        SecurityGroupIngress: Match.arrayWith([
          Match.objectLike({
            IpProtocol: 'tcp',
            FromPort: 443,
            ToPort: 443,
            SourceSecurityGroupId: deliveryGroup,
          }),
        ]),
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
        GroupId: deliveryGroup,
        DestinationSecurityGroupId: domainGroup,
        FromPort: 443,
        ToPort: 443,
      });
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: Match.anyValue(),
        PublicAccessBlockConfiguration: Match.objectLike({
          BlockPublicAcls: true,
          RestrictPublicBuckets: true,
        }),
        LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 90, Status: 'Enabled' })] },
      });
    });
  });

  it('lets the transform put events back into its own stream, and nothing else of Firehose', () => {
    each((template, region) => {
      const stream = idOf(region, 'AWS::KinesisFirehose::DeliveryStream', /^LogStore/);
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [
            {
              Action: 'firehose:PutRecordBatch',
              Effect: 'Allow',
              Resource: { 'Fn::GetAtt': [stream, 'Arn'] },
            },
          ],
        },
      });
    });
  });

  it('gives Firehose’s role what the delivery needs: the domain, the backup bucket, the transform, its ENIs', () => {
    each((template, region) => {
      const role = idOf(region, 'AWS::IAM::Role', /^LogStoreDeliveryRole/);
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [
            Match.objectLike({
              Principal: { Service: 'firehose.amazonaws.com' },
              Condition: { StringEquals: { 'sts:ExternalId': Match.anyValue() } },
            }),
          ],
        },
      });
      const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
        JSON.stringify(policy.Properties.Roles).includes(role),
      );
      const actions = policies.flatMap((policy) =>
        (policy.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).flatMap(
          (statement) => statement.Action,
        ),
      );
      expect(actions).toEqual(
        expect.arrayContaining([
          'es:DescribeDomain',
          'es:ESHttpPost',
          'es:ESHttpPut',
          'es:ESHttpGet',
          's3:PutObject',
          'lambda:InvokeFunction',
          'logs:PutLogEvents',
          'ec2:CreateNetworkInterface',
          'ec2:CreateNetworkInterfacePermission',
          'ec2:DeleteNetworkInterface',
        ]),
      );
      expect(actions).not.toContain('es:ESHttpDelete');
      // CloudWatch Logs may put records into the stream, and nothing else.
      const stream = idOf(region, 'AWS::KinesisFirehose::DeliveryStream', /^LogStore/);
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: idOf(region, 'AWS::IAM::Role', /^LogStoreSubscriptionRole/) }],
        PolicyDocument: {
          Statement: [
            {
              Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
              Effect: 'Allow',
              Resource: { 'Fn::GetAtt': [stream, 'Arn'] },
            },
          ],
        },
      });
    });
  });

  it('subscribes every event of the API pods’, the worker’s and the indexer’s log groups to the stream', () => {
    each((template, region) => {
      const stream = idOf(region, 'AWS::KinesisFirehose::DeliveryStream', /^LogStore/);
      const filters = Object.values(template.findResources('AWS::Logs::SubscriptionFilter'));
      const logGroups = filters.map((filter) => filter.Properties.LogGroupName.Ref as string).sort();
      expect(logGroups).toEqual(
        [
          idOf(region, 'AWS::Logs::LogGroup', /^KubernetesApiLogs/),
          idOf(region, 'AWS::Logs::LogGroup', /^WorkerFunctionLogs/),
          idOf(region, 'AWS::Logs::LogGroup', /^SearchIndexerLogs/),
        ].sort(),
      );
      for (const filter of filters)
        expect(filter.Properties).toMatchObject({
          FilterPattern: '',
          DestinationArn: { 'Fn::GetAtt': [stream, 'Arn'] },
          RoleArn: { 'Fn::GetAtt': [idOf(region, 'AWS::IAM::Role', /^LogStoreSubscriptionRole/), 'Arn'] },
        });
      // The log store's own transform is not shipped: its lines would come back through it.
      expect(JSON.stringify(filters)).not.toMatch(/LogTransform/);
    });
  });

  it('prepares the domain at deploy time, before the stream, mapping Firehose’s role to the logs writer', () => {
    each((template, region) => {
      const prepare = idOf(region, 'Custom::AWS', /^SearchPrepare/);
      const indexer = idOf(region, 'AWS::Lambda::Function', /^SearchIndexer/);
      const deliveryRole = idOf(region, 'AWS::IAM::Role', /^LogStoreDeliveryRole/);
      const properties = JSON.stringify(resources[region]?.[prepare]?.Properties);
      for (const part of ['"service\\":\\"Lambda\\"', '"action\\":\\"invoke\\"', 'prepare', 'domain-setup-'])
        expect(properties).toContain(part);
      expect(properties).toContain(indexer);
      expect(properties).toContain(deliveryRole);
      const stream = idOf(region, 'AWS::KinesisFirehose::DeliveryStream', /^LogStore/);
      expect(resources[region]?.[stream]?.DependsOn).toEqual(expect.arrayContaining([prepare]));
      // A failed preparation must fail the deployment, not pass as an answered call.
      template.hasResourceProperties('AWS::SSM::Parameter', {
        AllowedPattern: '^\\{"prepared":"[0-9a-f]{16}"\\}$',
        Value: { 'Fn::GetAtt': [prepare, 'Payload'] },
      });
      const environment = JSON.stringify(resources[region]?.[indexer]?.Properties?.Environment);
      expect(environment).toContain('LOG_WRITER_ROLE_ARNS');
      expect(environment).toContain(deliveryRole);
      expect(environment).toContain('"LOG_RETENTION_DAYS":"21"');
    });
  });

  it('sizes the domain that holds the logs from searchVolumeGb', () => {
    each((template) =>
      template.hasResourceProperties('AWS::OpenSearchService::Domain', {
        EBSOptions: Match.objectLike({ EBSEnabled: true, VolumeSize: 200 }),
      }),
    );
  });
});

describe('the scaling stage', () => {
  it('has no log store', () => {
    expect(Object.keys(scaling)).toEqual(['us-east-1', 'eu-west-1']);
    for (const template of Object.values(scaling)) {
      template.resourceCountIs('AWS::Logs::SubscriptionFilter', 0);
      expect(
        Object.keys(
          template.findResources('AWS::KinesisFirehose::DeliveryStream', {
            Properties: { AmazonopensearchserviceDestinationConfiguration: Match.anyValue() },
          }),
        ),
      ).toEqual([]);
      expect(JSON.stringify(template.toJSON())).not.toMatch(/LogTransform/);
    }
  });
});
