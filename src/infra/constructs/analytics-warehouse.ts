import { Aws, CfnOutput, type CfnResource, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CfnFlowLog, CfnSecurityGroup, CfnSubnet, CfnVPC } from 'aws-cdk-lib/aws-ec2';
import { CfnTable } from 'aws-cdk-lib/aws-glue';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnNamespace, CfnWorkgroup } from 'aws-cdk-lib/aws-redshiftserverless';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { ReportWindow } from '../../contracts/ports.js';
import { reportTail } from '../../contracts/top-products-sql.js';
import { acknowledge, arnToken } from '../acknowledge.js';
import { eventFilesStorage } from './analytics-pipeline.js';

export interface AnalyticsWarehouseProps {
  /** The bucket Firehose delivers the event files to. */
  readonly bucket: IBucket;
  /** The Glue database the event tables are in. */
  readonly databaseName: string;
  /** The Glue database's resource, when in the same stack: the warehouse's table is created after it. */
  readonly database?: CfnResource;
  /** Lower-case prefix of the namespace's and workgroup's names (unique per account and region). */
  readonly name: string;
}

/** The files' folder, as the pipeline's Firehose writes them (`events/dt=…/hour=…/`). */
const EVENTS_FOLDER = 'events/';
/** The Glue table Redshift reads: the same files, without partitions (see below). */
export const WAREHOUSE_TABLE = 'events_all';
/** The external schema the warehouse's database sees the Glue database through. */
export const LAKE_SCHEMA = 'lake';
/** The warehouse's own database. */
export const WAREHOUSE_DATABASE = 'analytics';
/** The warehouse's VPC and its three /24 subnets: its own, never peered or routed anywhere. */
const VPC_CIDR = '10.64.0.0/22';
/** Index of each subnet's zone in the region's zone list (`Fn::GetAZs`). */
export const WAREHOUSE_ZONES = [0, 1, 2] as const;

/**
 * The statement that makes the Glue database visible to the warehouse: run once, as the admin
 * user, after the first deploy (docs/deploy.md). `IAM_ROLE default` is the namespace's default role.
 */
export function externalSchemaSql(databaseName: string): string {
  return `CREATE EXTERNAL SCHEMA IF NOT EXISTS ${LAKE_SCHEMA} FROM DATA CATALOG DATABASE '${databaseName}' IAM_ROLE default;`;
}

const REDSHIFT_INTERVALS: Record<ReportWindow, string> = {
  hour: "interval '1 hour'",
  day: "interval '1 day'",
};

/** "Top products in the last hour / day" in Redshift's SQL, over the external schema's table. */
export function topProductsWarehouseSql(window: ReportWindow, limit = 10): string {
  const tail = reportTail(limit);
  const count = (type: string) => `count(CASE WHEN type = '${type}' THEN 1 END)`;
  return [
    `SELECT productid AS "productId", ${count('view')} AS views,`,
    `  ${count('add_to_cart')} AS "addsToCart", ${count('checkout')} AS checkouts`,
    `FROM ${LAKE_SCHEMA}.${WAREHOUSE_TABLE}`,
    `WHERE CAST("at" AS TIMESTAMPTZ) >= sysdate - ${REDSHIFT_INTERVALS[window]}`,
    ...tail,
  ].join('\n');
}

/**
 * Redshift Serverless over the analytics pipeline's event files (`analyticsEngine: 'redshift'`):
 * an external schema on the Glue database lets the warehouse query the files where Firehose
 * leaves them (data-lake queries bill in RPU-hours; nothing is loaded).
 *
 * Its own VPC: a workgroup needs subnets in at least three Availability Zones
 * (https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-usage-considerations.html) and the
 * stage's VPC spans two, whose subnets a wider VPC would replace. Three private subnets, no
 * internet gateway, no NAT; enhanced VPC routing off, so the warehouse reaches S3 and Glue over
 * AWS's network without endpoints. The zones are the region's first three (`Fn::GetAZs`), so the
 * stack stays environment-agnostic; docs/deploy.md says what to check in the account.
 *
 * The pipeline's table uses partition projection, which only Athena reads: Redshift sees a
 * projected table's partitions as none
 * (https://docs.aws.amazon.com/athena/latest/ug/partition-projection.html). So the warehouse
 * gets its own unpartitioned table over the same folder, whose subfolders Redshift reads too
 * (https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_EXTERNAL_TABLE.html).
 */
export class AnalyticsWarehouse extends Construct {
  readonly namespace: CfnNamespace;
  readonly workgroup: CfnWorkgroup;
  readonly role: Role;
  readonly subnets: CfnSubnet[];
  readonly securityGroup: CfnSecurityGroup;

  constructor(scope: Construct, id: string, props: AnalyticsWarehouseProps) {
    super(scope, id);
    const stack = Stack.of(this);

    const vpc = new CfnVPC(this, 'Vpc', {
      cidrBlock: VPC_CIDR,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: [{ key: 'Name', value: `${props.name}-warehouse` }],
    });
    this.subnets = WAREHOUSE_ZONES.map(
      (zone) =>
        new CfnSubnet(this, `Subnet${zone + 1}`, {
          vpcId: vpc.ref,
          cidrBlock: Fn.select(zone, Fn.cidr(VPC_CIDR, WAREHOUSE_ZONES.length, '8')),
          availabilityZone: Fn.select(zone, Fn.getAzs('')),
          mapPublicIpOnLaunch: false,
          tags: [{ key: 'Name', value: `${props.name}-warehouse-${zone + 1}` }],
        }),
    );
    this.securityGroup = new CfnSecurityGroup(this, 'SecurityGroup', {
      vpcId: vpc.ref,
      groupDescription: 'Redshift Serverless analytics warehouse: no inbound rule; the Data API needs none',
    });
    const flowLogs = new LogGroup(this, 'FlowLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // An L1 VPC has no IVpc for the L2 flow log: the same resource and role it would make.
    const flowLogRole = new Role(this, 'FlowLogRole', {
      assumedBy: new ServicePrincipal('vpc-flow-logs.amazonaws.com'),
    });
    flowLogs.grantWrite(flowLogRole);
    new CfnFlowLog(this, 'FlowLog', {
      resourceId: vpc.ref,
      resourceType: 'VPC',
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logGroupName: flowLogs.logGroupName,
      deliverLogsPermissionArn: flowLogRole.roleArn,
    });

    const table = new CfnTable(this, 'EventsTable', {
      catalogId: stack.account,
      databaseName: props.databaseName,
      tableInput: {
        name: WAREHOUSE_TABLE,
        description: 'The event files for Redshift: every folder under events/, unpartitioned',
        tableType: 'EXTERNAL_TABLE',
        parameters: { classification: 'json', compressionType: 'gzip' },
        storageDescriptor: eventFilesStorage(`s3://${props.bucket.bucketName}/${EVENTS_FOLDER}`),
      },
    });
    if (props.database) table.addResourceDependency(props.database);

    const glueArn = (resource: string) =>
      `arn:${Aws.PARTITION}:glue:${stack.region}:${stack.account}:${resource}`;
    const statements = [
      new PolicyStatement({
        sid: 'ReadEventFiles',
        actions: ['s3:GetObject'],
        resources: [props.bucket.arnForObjects(`${EVENTS_FOLDER}*`)],
      }),
      new PolicyStatement({
        sid: 'ListEventFiles',
        actions: ['s3:ListBucket', 's3:GetBucketLocation'],
        resources: [props.bucket.bucketArn],
      }),
      new PolicyStatement({
        sid: 'ReadEventTables',
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions'],
        resources: [
          glueArn('catalog'),
          glueArn(`database/${props.databaseName}`),
          glueArn(`table/${props.databaseName}/${WAREHOUSE_TABLE}`),
        ],
      }),
    ];
    if (props.bucket.encryptionKey)
      statements.push(
        new PolicyStatement({
          sid: 'DecryptEventFiles',
          actions: ['kms:Decrypt'],
          resources: [props.bucket.encryptionKey.keyArn],
        }),
      );
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('redshift.amazonaws.com'),
      description: 'Redshift Serverless reads the analytics event files and their Glue tables',
      inlinePolicies: { ReadEvents: new PolicyDocument({ statements }) },
    });
    acknowledge(this.role, {
      [`AwsSolutions-IAM5[Resource::${arnToken(props.bucket)}/${EVENTS_FOLDER}*]`]:
        'Redshift reads every event file Firehose delivers under events/, whose names carry the hour.',
    });

    this.namespace = new CfnNamespace(this, 'Namespace', {
      namespaceName: `${props.name}-analytics`,
      dbName: WAREHOUSE_DATABASE,
      adminUsername: 'admin',
      // Secrets Manager holds the admin password, created and rotated by Redshift.
      manageAdminPassword: true,
      iamRoles: [this.role.roleArn],
      defaultIamRoleArn: this.role.roleArn,
      logExports: ['userlog', 'connectionlog', 'useractivitylog'],
    });
    // The namespace keeps whatever tables people add beside the external schema: out of the
    // stack on removal rather than deleted (it bills storage only; the workgroup is the compute).
    this.namespace.applyRemovalPolicy(RemovalPolicy.RETAIN);

    this.workgroup = new CfnWorkgroup(this, 'Workgroup', {
      workgroupName: `${props.name}-analytics`,
      namespaceName: this.namespace.namespaceName,
      // 8 RPUs, the smallest base capacity: what the plan prices.
      baseCapacity: 8,
      subnetIds: this.subnets.map((subnet) => subnet.ref),
      securityGroupIds: [this.securityGroup.ref],
      enhancedVpcRouting: false,
      publiclyAccessible: false,
    });
    this.workgroup.addResourceDependency(this.namespace);
    this.workgroup.node.addDependency(table);

    new CfnOutput(this, 'ExternalSchemaSql', {
      description: 'Run once as the admin user (Query Editor v2 or the Data API) after the first deploy',
      value: externalSchemaSql(props.databaseName),
    });
    new CfnOutput(this, 'WorkgroupName', { value: this.workgroup.workgroupName });
  }
}
