import { Aws, Duration, Names, Stack } from 'aws-cdk-lib';
import { type IVpc, Port, SecurityGroup, SubnetType } from 'aws-cdk-lib/aws-ec2';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnDeliveryStream, DeliveryStream } from 'aws-cdk-lib/aws-kinesisfirehose';
import {
  FilterPattern,
  type ILogGroup,
  LogGroup,
  LogStream,
  RetentionDays,
  SubscriptionFilter,
} from 'aws-cdk-lib/aws-logs';
import { FirehoseDestination } from 'aws-cdk-lib/aws-logs-destinations';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { LOG_INDEX } from '../../contracts/log-store.js';
import { acknowledge, arnToken } from '../acknowledge.js';
import { SynthesisError } from '../errors.js';
import { NodeFunction } from './node-function.js';
import type { SearchDomain } from './search-domain.js';

export interface LogStoreProps {
  readonly vpc: IVpc;
  /** The region's OpenSearch domain: the logs go to its `logs-*` indices. */
  readonly search: SearchDomain;
  /** The log groups to ship; more with `ship()`. */
  readonly logGroups: readonly ILogGroup[];
  /** Days a day's index is kept; 14 unless said. */
  readonly retentionDays?: number;
  /** The transform's code: src/entry/lambda-log-transform.ts. */
  readonly transformEntry: string;
  readonly tracing: boolean;
}

/** Failed documents are kept long enough to be found and replayed after an incident. */
const BACKUP_DAYS = 90;

/**
 * The enterprise stage's ELK-style log store, per region: every event of the shipped log groups
 * goes by a subscription filter to a Firehose stream, whose transform makes each event one
 * document, and on into the OpenSearch domain's daily `logs-YYYY-MM-DD` indices (deleted after
 * the retention by the domain's lifecycle policy), delivered through the VPC. Documents the domain
 * refuses, and records the transform cannot handle, land in an encrypted backup bucket.
 */
export class LogStore extends Construct {
  readonly deliveryStream: CfnDeliveryStream;
  readonly transform: NodeFunction;
  readonly backup: Bucket;
  private readonly destination: FirehoseDestination;

  constructor(scope: Construct, id: string, props: LogStoreProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const retentionDays = props.retentionDays ?? 14;
    this.transform = new NodeFunction(this, 'LogTransform', {
      entry: props.transformEntry,
      environment: {},
      // Firehose waits up to 5 minutes for a transform; putting a busy minute back takes seconds.
      timeout: Duration.minutes(2),
      tracing: props.tracing,
    });
    this.backup = new Bucket(this, 'FailedDocuments', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(BACKUP_DAYS) }],
    });
    acknowledge(this.backup, {
      'AwsSolutions-S1':
        'Only the log delivery role writes here (failed log documents); CloudTrail records who reads them, and access logs would log the logs.',
    });
    const errors = new LogGroup(this, 'DeliveryErrors', { retention: RetentionDays.ONE_MONTH });
    const toDomain = new LogStream(this, 'DomainDeliveryErrors', { logGroup: errors });
    const toBackup = new LogStream(this, 'BackupDeliveryErrors', { logGroup: errors });

    const role = new Role(this, 'DeliveryRole', {
      description: 'Firehose: delivers the log store documents to OpenSearch and the failed ones to S3',
      // Only Firehose acting for this account may take the role (the confused-deputy guard AWS documents).
      assumedBy: new ServicePrincipal('firehose.amazonaws.com', {
        conditions: { StringEquals: { 'sts:ExternalId': Aws.ACCOUNT_ID } },
      }),
    });
    props.search.allowLogWriter(role, retentionDays);
    // What Firehose needs for each part, as AWS lists it:
    // https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html
    role.addToPolicy(
      new PolicyStatement({
        actions: [
          's3:AbortMultipartUpload',
          's3:GetBucketLocation',
          's3:GetObject',
          's3:ListBucket',
          's3:ListBucketMultipartUploads',
          's3:PutObject',
        ],
        resources: [this.backup.bucketArn, this.backup.arnForObjects('*')],
      }),
    );
    role.addToPolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction', 'lambda:GetFunctionConfiguration'],
        resources: [this.transform.fn.functionArn],
      }),
    );
    role.addToPolicy(
      new PolicyStatement({ actions: ['logs:PutLogEvents'], resources: [errors.logGroupArn] }),
    );
    // Firehose makes its own network interfaces in the VPC to reach the domain:
    // https://docs.aws.amazon.com/firehose/latest/APIReference/API_VpcConfiguration.html
    role.addToPolicy(
      new PolicyStatement({
        actions: [
          'ec2:DescribeVpcs',
          'ec2:DescribeVpcAttribute',
          'ec2:DescribeSubnets',
          'ec2:DescribeSecurityGroups',
          'ec2:DescribeNetworkInterfaces',
          'ec2:CreateNetworkInterface',
          'ec2:CreateNetworkInterfacePermission',
          'ec2:DeleteNetworkInterface',
        ],
        resources: ['*'],
      }),
    );
    acknowledge(role, {
      'AwsSolutions-IAM5[Resource::*]':
        'Firehose manages its network interfaces in the VPC; the EC2 describe calls take no resource-level permissions, and the interfaces do not exist before Firehose makes them.',
      [`AwsSolutions-IAM5[Resource::${arnToken(this.backup)}/*]`]:
        'Firehose writes the failed documents as objects it names itself, in this one bucket.',
    });

    const securityGroup = new SecurityGroup(this, 'DeliverySecurityGroup', {
      vpc: props.vpc,
      description: 'Firehose log delivery: HTTPS to the OpenSearch domain only',
      allowAllOutbound: false,
    });
    props.search.allowFrom(securityGroup);
    // The group itself as the peer: a rule of its own, not inline, which would make the two groups
    // (the domain's admits this one inline) depend on each other.
    for (const domainGroup of props.search.domain.connections.securityGroups)
      securityGroup.addEgressRule(domainGroup, Port.tcp(443), 'HTTPS to OpenSearch');

    const logging = (stream: LogStream) => ({
      enabled: true,
      logGroupName: errors.logGroupName,
      logStreamName: stream.logStreamName,
    });
    this.deliveryStream = new CfnDeliveryStream(this, 'Delivery', {
      deliveryStreamType: 'DirectPut',
      deliveryStreamEncryptionConfigurationInput: { keyType: 'AWS_OWNED_CMK' },
      amazonopensearchserviceDestinationConfiguration: {
        domainArn: props.search.domain.domainArn,
        indexName: LOG_INDEX,
        // Firehose appends the UTC day: logs-YYYY-MM-DD, which the lifecycle policy's template matches.
        indexRotationPeriod: 'OneDay',
        roleArn: role.roleArn,
        s3BackupMode: 'FailedDocumentsOnly',
        // A minute at most between a line and its document: the dashboard is for what is failing now.
        bufferingHints: { intervalInSeconds: 60, sizeInMBs: 5 },
        retryOptions: { durationInSeconds: 300 },
        processingConfiguration: {
          enabled: true,
          processors: [
            {
              type: 'Lambda',
              parameters: [
                { parameterName: 'LambdaArn', parameterValue: this.transform.fn.functionArn },
                { parameterName: 'NumberOfRetries', parameterValue: '3' },
                // 1 MB of gzip'd records in: the 6 MB answer leaves room for the documents.
                { parameterName: 'BufferSizeInMBs', parameterValue: '1' },
                { parameterName: 'BufferIntervalInSeconds', parameterValue: '60' },
              ],
            },
          ],
        },
        cloudWatchLoggingOptions: logging(toDomain),
        vpcConfiguration: {
          roleArn: role.roleArn,
          subnetIds: props.vpc.selectSubnets({ subnetType: SubnetType.PRIVATE_WITH_EGRESS }).subnetIds,
          securityGroupIds: [securityGroup.securityGroupId],
        },
        s3Configuration: {
          bucketArn: this.backup.bucketArn,
          roleArn: role.roleArn,
          prefix: 'failed/',
          errorOutputPrefix: 'errors/',
          compressionFormat: 'GZIP',
          bufferingHints: { intervalInSeconds: 300, sizeInMBs: 5 },
          cloudWatchLoggingOptions: logging(toBackup),
        },
      },
    });
    // Firehose checks its role when the stream is made; the domain must know the role by then too.
    this.deliveryStream.node.addDependency(role, props.search.preparation);

    // The transform puts the events beyond each record's first back into the stream. A policy of
    // its own: the function's default policy comes before the function, which comes before the stream.
    const transformRole = this.transform.fn.role;
    if (!transformRole) throw new SynthesisError('the log transform has no role');
    new Policy(this, 'TransformReingest', {
      roles: [transformRole],
      statements: [
        new PolicyStatement({
          actions: ['firehose:PutRecordBatch'],
          resources: [this.deliveryStream.attrArn],
        }),
      ],
    });

    const logsRole = new Role(this, 'SubscriptionRole', {
      description: 'CloudWatch Logs: puts the shipped log groups events into the log store stream',
      assumedBy: new ServicePrincipal('logs.amazonaws.com', {
        conditions: {
          StringLike: { 'aws:SourceArn': stack.formatArn({ service: 'logs', resource: '*' }) },
        },
      }),
    });
    this.destination = new FirehoseDestination(
      DeliveryStream.fromDeliveryStreamArn(this, 'Stream', this.deliveryStream.attrArn),
      { role: logsRole },
    );
    for (const logGroup of props.logGroups) this.ship(logGroup);
  }

  /**
   * Ships every event of a log group (in this region) to the store. A log group takes at most two
   * subscription filters: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html
   */
  ship(logGroup: ILogGroup): void {
    new SubscriptionFilter(this, `Ship${Names.nodeUniqueId(logGroup.node)}`, {
      logGroup,
      destination: this.destination,
      filterPattern: FilterPattern.allEvents(),
      filterName: 'log-store',
    });
  }
}
