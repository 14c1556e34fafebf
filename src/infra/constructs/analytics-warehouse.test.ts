import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { acknowledge } from '../acknowledge.js';
import { complianceReport } from '../compliance.js';
import { AnalyticsPipeline } from './analytics-pipeline.js';
import {
  AnalyticsWarehouse,
  externalSchemaSql,
  topProductsWarehouseSql,
  WAREHOUSE_TABLE,
} from './analytics-warehouse.js';

/** The pipeline with Redshift as its engine, and the warehouse beside it, on a bare stack. */
function warehouseApp() {
  const app = new App();
  const stack = new Stack(app, 'Warehouse', { env: { account: '123456789012', region: 'us-east-1' } });
  const accessLogs = new Bucket(stack, 'AccessLogs', {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    encryption: BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
  });
  acknowledge(accessLogs, { 'AwsSolutions-S1': 'The access-log bucket itself.' });
  const pipeline = new AnalyticsPipeline(stack, 'Analytics', {
    accessLogs,
    databaseName: 'growstack_analytics',
    engine: 'redshift',
  });
  new AnalyticsWarehouse(stack, 'Warehouse', {
    bucket: pipeline.bucket,
    databaseName: pipeline.databaseName,
    database: pipeline.database,
    name: 'growstack',
  });
  const template = Template.fromStack(stack);
  return { app, stack, template, bucketId: stack.getLogicalId(pipeline.bucket.node.defaultChild as never) };
}

// biome-ignore lint/suspicious/noExplicitAny: a template's JSON, read by the assertions below.
type Json = any;
const ofType = (template: Template, type: string): Json[] => Object.values(template.findResources(type));
/** The one resource of a type (the test fails if there are none or several). */
const only = (template: Template, type: string): Json => {
  const found = ofType(template, type);
  expect(found, type).toHaveLength(1);
  return found[0];
};

describe('the Redshift Serverless warehouse (enterprise, analyticsEngine redshift)', () => {
  const { app, template, bucketId } = warehouseApp();

  it('has its own VPC with DNS, three subnets in the region’s first three zones, no way in or out', () => {
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.hasResourceProperties('AWS::EC2::VPC', { EnableDnsSupport: true, EnableDnsHostnames: true });
    const subnets = ofType(template, 'AWS::EC2::Subnet');
    expect(subnets).toHaveLength(3);
    const zones = subnets.map((subnet) => subnet.Properties.AvailabilityZone);
    for (const zone of zones) expect(zone['Fn::Select'][1]).toEqual({ 'Fn::GetAZs': '' });
    expect(zones.map((zone) => zone['Fn::Select'][0]).sort()).toEqual([0, 1, 2]);
    for (const subnet of subnets) expect(subnet.Properties.MapPublicIpOnLaunch).toBe(false);
    for (const type of [
      'AWS::EC2::InternetGateway',
      'AWS::EC2::NatGateway',
      'AWS::EC2::VPCGatewayAttachment',
    ])
      template.resourceCountIs(type, 0);
    template.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'VPC', TrafficType: 'ALL' });
  });

  it('lets nothing in: a security group with no ingress rule, not publicly accessible', () => {
    const group = only(template, 'AWS::EC2::SecurityGroup');
    expect(group.Properties.SecurityGroupIngress).toBeUndefined();
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    const workgroup = only(template, 'AWS::RedshiftServerless::Workgroup');
    expect(workgroup.Properties).toMatchObject({
      WorkgroupName: 'growstack-analytics',
      BaseCapacity: 8,
      EnhancedVpcRouting: false,
      PubliclyAccessible: false,
    });
    expect(workgroup.Properties.SubnetIds).toHaveLength(3);
    expect(workgroup.Properties.SecurityGroupIds).toHaveLength(1);
  });

  it('keeps the admin password in Secrets Manager, exports its logs and keeps the namespace on removal', () => {
    const namespace = only(template, 'AWS::RedshiftServerless::Namespace');
    expect(namespace.Properties).toMatchObject({
      NamespaceName: 'growstack-analytics',
      DbName: 'analytics',
      ManageAdminPassword: true,
      LogExports: ['userlog', 'connectionlog', 'useractivitylog'],
    });
    expect(namespace.Properties.AdminUserPassword).toBeUndefined();
    expect(namespace.Properties.DefaultIamRoleArn).toEqual(namespace.Properties.IamRoles[0]);
    expect(namespace.DeletionPolicy).toBe('Retain');
  });

  it('gives Redshift a role that reads the event files and their Glue tables, and nothing else', () => {
    const roles = template.findResources('AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: Match.objectLike({
          Statement: [Match.objectLike({ Principal: { Service: 'redshift.amazonaws.com' } })],
        }),
      },
    });
    expect(Object.keys(roles)).toHaveLength(1);
    const role: Json = Object.values(roles)[0];
    const glue = (resource: string) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:glue:us-east-1:123456789012:${resource}`]],
    });
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.Policies).toEqual([
      {
        PolicyName: 'ReadEvents',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'ReadEventFiles',
              Effect: 'Allow',
              Action: 's3:GetObject',
              Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/events/*']] },
            },
            {
              Sid: 'ListEventFiles',
              Effect: 'Allow',
              Action: ['s3:ListBucket', 's3:GetBucketLocation'],
              Resource: { 'Fn::GetAtt': [bucketId, 'Arn'] },
            },
            {
              Sid: 'ReadEventTables',
              Effect: 'Allow',
              Action: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions'],
              Resource: [
                glue('catalog'),
                glue('database/growstack_analytics'),
                glue(`table/growstack_analytics/${WAREHOUSE_TABLE}`),
              ],
            },
          ],
        },
      },
    ]);
  });

  it('reads the same files through an unpartitioned table, and drops the Athena workgroup it replaces', () => {
    template.hasResourceProperties('AWS::Glue::Table', {
      DatabaseName: 'growstack_analytics',
      TableInput: Match.objectLike({
        Name: WAREHOUSE_TABLE,
        PartitionKeys: Match.absent(),
        StorageDescriptor: Match.objectLike({
          Location: { 'Fn::Join': ['', ['s3://', { Ref: bucketId }, '/events/']] },
        }),
      }),
    });
    template.resourceCountIs('AWS::Athena::WorkGroup', 0);
    template.resourceCountIs('AWS::Athena::NamedQuery', 0);
    template.hasOutput('*', {
      Value:
        "CREATE EXTERNAL SCHEMA IF NOT EXISTS lake FROM DATA CATALOG DATABASE 'growstack_analytics' IAM_ROLE default;",
    });
    expect(externalSchemaSql('db')).toContain("FROM DATA CATALOG DATABASE 'db' IAM_ROLE default");
  });

  it('ranks top products in Redshift SQL as the Athena query does', () => {
    const sql = topProductsWarehouseSql('hour', 5);
    expect(sql).toContain(`FROM lake.${WAREHOUSE_TABLE}`);
    expect(sql).toContain(`WHERE CAST("at" AS TIMESTAMPTZ) >= sysdate - interval '1 hour'`);
    expect(sql).toContain('ORDER BY views DESC, "addsToCart" DESC, checkouts DESC, productid');
    expect(sql).toMatch(/LIMIT 5$/);
    expect(topProductsWarehouseSql('day')).toContain("interval '1 day'");
    expect(() => topProductsWarehouseSql('day', 101)).toThrow(RangeError);
    // docs/deploy.md prints the same statements, since CloudFormation cannot save them.
    const deployDoc = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'deploy.md'), 'utf8');
    expect(deployDoc).toContain(topProductsWarehouseSql('hour'));
    expect(deployDoc).toContain(externalSchemaSql('<appname>_analytics'));
  });

  it('has no cdk-nag finding nobody acknowledged', () => {
    const open = complianceReport(app, []).filter((line) => line.status === 'non-compliant');
    expect(open.map((line) => `${line.rule} ${line.resource}`)).toEqual([]);
    const acknowledged = complianceReport(app, [])
      .filter((line) => line.status === 'acknowledged' && line.resource.startsWith('Warehouse/Warehouse/'))
      .map((line) => `${line.rule} ${line.resource}`);
    // One acknowledgement: the role reads every file under events/ (src/infra/acknowledge.ts's reason).
    expect(acknowledged).toEqual([
      `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/events/*] Warehouse/Warehouse/Role/Resource`,
    ]);
  });
});
