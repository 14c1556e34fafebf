import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ManagedRuleIdentifiers } from 'aws-cdk-lib/aws-config';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { ComplianceRecording, complianceRuleIdentifiers } from './compliance-recording.js';

interface Statement {
  Sid?: string;
  Action: string | string[];
  Principal?: { Service?: string };
  Resource: unknown;
  Condition?: unknown;
}

const env = { env: { account: '123456789012', region: 'us-east-1' } };
let primary: Template;
let secondary: Template;
let bucketId: string;

// The first synth of a file loads most of aws-cdk-lib: once, outside the tests' own time limit.
beforeAll(() => {
  const stack = new Stack(undefined, 'Primary', env);
  const recording = new ComplianceRecording(stack, 'Compliance', {
    globalResourceTypes: true,
    backupPlan: true,
  });
  bucketId = stack.getLogicalId(recording.bucket.node.defaultChild as never);
  primary = Template.fromStack(stack);
  const other = new Stack(undefined, 'Secondary', { env: { account: '123456789012', region: 'eu-west-1' } });
  new ComplianceRecording(other, 'Compliance', {
    globalResourceTypes: false,
    backupPlan: false,
    bucket: new Bucket(other, 'Shared'),
  });
  secondary = Template.fromStack(other);
}, 120_000);

const identifiers = (template: Template) =>
  Object.values(template.findResources('AWS::Config::ConfigRule')).map(
    (rule) => rule.Properties.Source.SourceIdentifier as string,
  );

describe('the compliance recording', () => {
  it('records every supported type, the global ones only where told', () => {
    primary.hasResourceProperties('AWS::Config::ConfigurationRecorder', {
      RecordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: true },
    });
    secondary.hasResourceProperties('AWS::Config::ConfigurationRecorder', {
      RecordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: false },
    });
  });

  it('evaluates encryption, public access, TLS, PITR, trail validation and search rules, and the backup rule only where the plan is', () => {
    const everywhere = [
      ManagedRuleIdentifiers.S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED,
      ManagedRuleIdentifiers.S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED,
      ManagedRuleIdentifiers.S3_BUCKET_SSL_REQUESTS_ONLY,
      ManagedRuleIdentifiers.DYNAMODB_PITR_ENABLED,
      ManagedRuleIdentifiers.CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED,
      ManagedRuleIdentifiers.OPENSEARCH_ENCRYPTED_AT_REST,
    ];
    expect(identifiers(primary).sort()).toEqual(
      [...everywhere, ManagedRuleIdentifiers.DYNAMODB_IN_BACKUP_PLAN].sort(),
    );
    expect(identifiers(secondary).sort()).toEqual([...everywhere].sort());
    expect(complianceRuleIdentifiers(false)).toEqual(everywhere);
    // Each rule waits for the recorder: Config refuses a rule in a region without one.
    const recorder = Object.keys(primary.findResources('AWS::Config::ConfigurationRecorder'))[0];
    for (const rule of Object.values(primary.findResources('AWS::Config::ConfigRule')))
      expect(rule.DependsOn).toContain(recorder);
  });

  it('delivers daily to a private, encrypted, TLS-only, versioned bucket kept with the stack gone, for 7 years', () => {
    primary.hasResourceProperties('AWS::Config::DeliveryChannel', {
      S3BucketName: { Ref: bucketId },
      ConfigSnapshotDeliveryProperties: { DeliveryFrequency: 'TwentyFour_Hours' },
    });
    primary.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        VersioningConfiguration: { Status: 'Enabled' },
        LifecycleConfiguration: {
          Rules: [
            Match.objectLike({
              ExpirationInDays: 7 * 365,
              NoncurrentVersionExpiration: { NoncurrentDays: 90 },
              Status: 'Enabled',
            }),
          ],
        },
      }),
    });
  });

  it("lets Config's service principal check and write the bucket for this account only", () => {
    const [policy] = Object.values(primary.findResources('AWS::S3::BucketPolicy'));
    const statements = ((policy?.Properties.PolicyDocument.Statement ?? []) as Statement[]).filter(
      (statement) => statement.Principal?.Service === 'config.amazonaws.com',
    );
    const bySid = Object.fromEntries(statements.map((statement) => [statement.Sid, statement]));
    expect(Object.keys(bySid).sort()).toEqual([
      'AWSConfigBucketDelivery',
      'AWSConfigBucketExistenceCheck',
      'AWSConfigBucketPermissionsCheck',
    ]);
    const account = { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } };
    expect(bySid.AWSConfigBucketPermissionsCheck).toMatchObject({
      Action: 's3:GetBucketAcl',
      Resource: { 'Fn::GetAtt': [bucketId, 'Arn'] },
      Condition: { StringEquals: account },
    });
    expect(bySid.AWSConfigBucketExistenceCheck).toMatchObject({
      Action: 's3:ListBucket',
      Condition: { StringEquals: account },
    });
    expect(bySid.AWSConfigBucketDelivery).toMatchObject({
      Action: 's3:PutObject',
      Condition: { StringEquals: { ...account, 's3:x-amz-acl': 'bucket-owner-full-control' } },
    });
    expect(JSON.stringify(bySid.AWSConfigBucketDelivery?.Resource)).toContain('/AWSLogs/');
    expect(JSON.stringify(bySid.AWSConfigBucketDelivery?.Resource)).toContain('/Config/*');
  });

  it("gives the recorder's role AWS_ConfigRole and puts under this account's Config prefix only", () => {
    primary.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'config.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ],
      },
      ManagedPolicyArns: [
        {
          'Fn::Join': [
            '',
            ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWS_ConfigRole'],
          ],
        },
      ],
    });
    const [policy] = Object.values(primary.findResources('AWS::IAM::Policy'));
    const statements = policy?.Properties.PolicyDocument.Statement as Statement[];
    expect(statements.map((statement) => statement.Action)).toEqual([
      's3:PutObject',
      ['s3:GetBucketAcl', 's3:ListBucket'],
    ]);
    expect(statements[0]?.Condition).toEqual({
      StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' },
    });
    expect(statements[1]?.Resource).toEqual({ 'Fn::GetAtt': [bucketId, 'Arn'] });
  });

  it('delivers to a bucket it is given instead of making one, and refuses one with Object Lock', () => {
    secondary.resourceCountIs('AWS::S3::Bucket', 1);
    const stack = new Stack();
    expect(
      () =>
        new ComplianceRecording(stack, 'Compliance', {
          globalResourceTypes: false,
          backupPlan: false,
          bucket: new Bucket(stack, 'Locked', { objectLockEnabled: true }),
        }),
    ).toThrow(/Object Lock/);
  });
});
