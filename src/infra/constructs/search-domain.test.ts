import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { SEARCH_INSTANCE_TYPE, SearchDomain } from './search-domain.js';

const STREAM = 'arn:aws:dynamodb:eu-west-1:123456789012:table/storefront/stream/2026-01-01T00:00:00.000';
const ENTRY = join(import.meta.dirname, '..', '..', 'entry', 'lambda-search-indexer.ts');

interface Statement {
  Action: string | string[];
  Resource: unknown;
}

function search(volumeGb?: number) {
  // No bundling: the template is the same without it, in a fraction of the time.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Search', { env: { account: '123456789012', region: 'eu-west-1' } });
  const vpc = new Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 1,
    subnetConfiguration: [
      { name: 'public', subnetType: SubnetType.PUBLIC },
      { name: 'app', subnetType: SubnetType.PRIVATE_WITH_EGRESS },
      { name: 'data', subnetType: SubnetType.PRIVATE_ISOLATED },
    ],
  });
  const search = new SearchDomain(stack, 'Search', {
    vpc,
    tableStreamArn: STREAM,
    indexerEntry: ENTRY,
    tracing: false,
    ...(volumeGb === undefined ? {} : { volumeGb }),
  });
  const reader = new Role(stack, 'Reader', { assumedBy: new ServicePrincipal('pods.eks.amazonaws.com') });
  const writer = new Role(stack, 'Writer', { assumedBy: new ServicePrincipal('firehose.amazonaws.com') });
  search.allowReader(reader);
  search.allowLogWriter(writer, 21);
  const id = (construct: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(construct.node.defaultChild as never);
  const template = Template.fromStack(stack);
  const statementsOf = (roleId: string) =>
    Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
  return {
    template,
    domain: id(search.domain),
    indexer: id(search.indexer.fn),
    reader: statementsOf(id(reader)),
    writer: statementsOf(id(writer)),
    indexerRole: statementsOf(stack.getLogicalId(search.indexer.fn.role?.node.defaultChild as never)),
    readerArn: stack.resolve(reader.roleArn),
    writerArn: stack.resolve(writer.roleArn),
  };
}

let standard: ReturnType<typeof search>;
let sized: Template;
// The first synth of a file loads most of aws-cdk-lib: once, outside the tests' own time limit.
beforeAll(() => {
  standard = search();
  sized = search(200).template;
}, 120_000);

const domainPath = (path: string) => ({
  'Fn::Join': ['', [{ 'Fn::GetAtt': [standard.domain, 'Arn'] }, `/${path}`]],
});

describe('the search domain', () => {
  it('runs two data nodes in two zones and three dedicated masters, on 50 GB of baseline gp3 unless told', () => {
    standard.template.hasResourceProperties('AWS::OpenSearchService::Domain', {
      ClusterConfig: Match.objectLike({
        InstanceCount: 2,
        InstanceType: SEARCH_INSTANCE_TYPE,
        DedicatedMasterEnabled: true,
        DedicatedMasterCount: 3,
        DedicatedMasterType: SEARCH_INSTANCE_TYPE,
        ZoneAwarenessEnabled: true,
        ZoneAwarenessConfig: { AvailabilityZoneCount: 2 },
      }),
      EBSOptions: { EBSEnabled: true, VolumeSize: 50, VolumeType: 'gp3', Iops: 3000, Throughput: 125 },
    });
    sized.hasResourceProperties('AWS::OpenSearchService::Domain', {
      EBSOptions: Match.objectLike({ VolumeSize: 200 }),
    });
  });

  it('encrypts at rest and between nodes, takes HTTPS with TLS 1.2 only, and is kept with the stack gone', () => {
    standard.template.hasResource('AWS::OpenSearchService::Domain', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        EncryptionAtRestOptions: { Enabled: true },
        NodeToNodeEncryptionOptions: { Enabled: true },
        DomainEndpointOptions: { EnforceHTTPS: true, TLSSecurityPolicy: 'Policy-Min-TLS-1-2-2019-07' },
        AdvancedSecurityOptions: Match.objectLike({ Enabled: true, InternalUserDatabaseEnabled: false }),
      }),
    });
  });

  it('feeds the indexer the table stream in bisected batches, reporting failed records, parking the rest', () => {
    standard.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: standard.indexer },
      EventSourceArn: STREAM,
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 10,
      DestinationConfig: { OnFailure: { Destination: Match.objectLike({ 'Fn::GetAtt': Match.anyValue() }) } },
    });
    standard.template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
  });

  it('lets the indexer read this stream only', () => {
    expect(standard.indexerRole).toContainEqual(
      expect.objectContaining({
        Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
        Resource: STREAM,
      }),
    );
  });

  it("lets a reader GET and POST the domain's paths, nothing else, and hands its role to the indexer to map", () => {
    expect(standard.reader).toEqual([
      { Action: ['es:ESHttpGet', 'es:ESHttpPost'], Effect: 'Allow', Resource: domainPath('*') },
    ]);
    const [indexer] = Object.values(
      standard.template.findResources('AWS::Lambda::Function', {
        Properties: {
          Environment: { Variables: Match.objectLike({ SEARCH_READER_ROLE_ARNS: Match.anyValue() }) },
        },
      }),
    );
    expect(indexer?.Properties.Environment.Variables.SEARCH_READER_ROLE_ARNS).toEqual(standard.readerArn);
  });

  it('lets the log writer describe the domain, write, and read only the stats and logs-* mappings Firehose checks', () => {
    expect(standard.writer).toEqual([
      {
        Action: [
          'es:DescribeDomain',
          'es:DescribeDomains',
          'es:DescribeDomainConfig',
          'es:ESHttpPost',
          'es:ESHttpPut',
        ],
        Effect: 'Allow',
        Resource: [{ 'Fn::GetAtt': [standard.domain, 'Arn'] }, domainPath('*')],
      },
      {
        Action: 'es:ESHttpGet',
        Effect: 'Allow',
        Resource: [
          '_all/_settings',
          '_cluster/stats',
          'logs*/_mapping',
          'logs*/_mapping/*',
          '_nodes',
          '_nodes/stats',
          '_nodes/*/stats',
          '_stats',
          'logs*/_stats',
          '',
        ].map(domainPath),
      },
    ]);
    for (const statement of standard.writer) expect(statement.Action).not.toContain('es:ESHttpDelete');
  });

  it('prepares the domain at deploy time with the log writers and their retention, failing the deploy on a failed run', () => {
    const [indexer] = Object.values(
      standard.template.findResources('AWS::Lambda::Function', {
        Properties: {
          Environment: { Variables: Match.objectLike({ LOG_WRITER_ROLE_ARNS: Match.anyValue() }) },
        },
      }),
    );
    expect(indexer?.Properties.Environment.Variables).toMatchObject({
      LOG_WRITER_ROLE_ARNS: standard.writerArn,
      LOG_RETENTION_DAYS: '21',
    });
    standard.template.hasResourceProperties('AWS::SSM::Parameter', {
      AllowedPattern: '^\\{"prepared":"[0-9a-f]{16}"\\}$',
    });
    const [prepare] = Object.values(standard.template.findResources('Custom::AWS'));
    expect(JSON.stringify(prepare?.Properties.Create)).toMatch(/"action\\":\\"invoke\\"/);
  });
});
