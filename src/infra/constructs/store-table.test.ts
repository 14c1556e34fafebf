import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_SCHEMA } from '../../contracts/table-schema.js';
import { StoreTable } from './store-table.js';

const env = (region: string) => ({ env: { account: '123456789012', region } });
let single: Template;
let global: Template;
let replica: Template;
let tableId: string;
let replicaStream: unknown;

// The first synth of a file loads most of aws-cdk-lib: once, outside the tests' own time limit.
beforeAll(() => {
  const stack = new Stack(new App(), 'Startup', env('us-east-1'));
  const data = new StoreTable(stack, 'Data', { tableName: 'storefront', pointInTimeRecovery: false });
  data.grantReadWrite(new Role(stack, 'Api', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') }));
  tableId = stack.getLogicalId(data.table.node.defaultChild as never);
  single = Template.fromStack(stack);

  const primary = new Stack(new App(), 'Scaling', env('us-east-1'));
  new StoreTable(primary, 'Data', {
    tableName: 'storefront',
    pointInTimeRecovery: true,
    replicaRegions: ['eu-west-1'],
  });
  global = Template.fromStack(primary);

  const secondary = new Stack(new App(), 'Secondary', env('eu-west-1'));
  const imported = StoreTable.replica(secondary, 'Data', 'storefront');
  replicaStream = secondary.resolve(imported.streamArn());
  replica = Template.fromStack(secondary);
}, 120_000);

describe('the table', () => {
  it('has the local key schema and indexes, on demand, under its fixed name', () => {
    single.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: 'storefront',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: TABLE_SCHEMA.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_SCHEMA.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: TABLE_SCHEMA.globalIndexes.map((index) =>
        Match.objectLike({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
        }),
      ),
      TimeToLiveSpecification: { AttributeName: TABLE_SCHEMA.timeToLiveAttribute, Enabled: true },
    });
  });

  it('is encrypted, streams old and new images, refuses deletion and is kept with the stack gone', () => {
    single.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        Replicas: [
          Match.objectLike({
            Region: 'us-east-1',
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
          }),
        ],
      }),
    });
  });

  it('keeps point-in-time recovery and a replica in every region named', () => {
    const [table] = Object.values(global.findResources('AWS::DynamoDB::GlobalTable'));
    const replicas = table?.Properties.Replicas as { Region: string }[];
    expect(replicas.map((entry) => entry.Region).sort()).toEqual(['eu-west-1', 'us-east-1']);
    expect(replicas.find((entry) => entry.Region === 'us-east-1')).toMatchObject({
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('lets a grantee read and write this table and its indexes only', () => {
    const [policy] = Object.values(single.findResources('AWS::IAM::Policy'));
    const statements = (policy?.Properties.PolicyDocument.Statement ?? []) as {
      Action: string | string[];
      Resource: unknown;
    }[];
    const actions = statements.flatMap((statement) => statement.Action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:DeleteItem',
      ]),
    );
    // Data only: nothing that changes or deletes the table itself.
    for (const action of actions)
      expect(action).not.toMatch(/^dynamodb:(\*|DeleteTable|UpdateTable|CreateTable)$/);
    for (const statement of statements)
      expect(statement.Resource).toEqual([
        { 'Fn::GetAtt': [tableId, 'Arn'] },
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': [tableId, 'Arn'] }, '/index/*']] },
      ]);
  });

  it("finds a replica's stream at deploy time with a DescribeTable call on that table only", () => {
    replica.resourceCountIs('AWS::DynamoDB::GlobalTable', 0);
    const [lookup] = Object.values(replica.findResources('Custom::AWS'));
    expect(JSON.parse(lookup?.Properties.Create)).toMatchObject({
      service: 'DynamoDB',
      action: 'describeTable',
      parameters: { TableName: 'storefront' },
      outputPaths: ['Table.LatestStreamArn'],
    });
    expect(JSON.stringify(replicaStream)).toContain('Table.LatestStreamArn');
    replica.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: 'dynamodb:DescribeTable',
            Effect: 'Allow',
            Resource: {
              'Fn::Join': [
                '',
                ['arn:', { Ref: 'AWS::Partition' }, ':dynamodb:eu-west-1:123456789012:table/storefront'],
              ],
            },
          },
        ],
      },
    });
  });
});
