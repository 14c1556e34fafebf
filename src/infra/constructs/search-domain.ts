import { createHash } from 'node:crypto';
import { Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  EbsDeviceVolumeType,
  type ISecurityGroup,
  type IVpc,
  Peer,
  Port,
  SecurityGroup,
  SubnetType,
} from 'aws-cdk-lib/aws-ec2';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { EventSourceMapping, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Domain, EngineVersion, TLSSecurityPolicy } from 'aws-cdk-lib/aws-opensearchservice';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { LOG_INDEX, logStoreSetupVersion } from '../../contracts/log-store.js';
import { PRODUCT_MAPPINGS } from '../../contracts/search-index.js';
import { acknowledge, acknowledgeSdkCallProvider, arnToken } from '../acknowledge.js';
import { NodeFunction } from './node-function.js';

export interface SearchDomainProps {
  readonly vpc: IVpc;
  /** The table's stream in this region (the replica's, in a secondary region). */
  readonly tableStreamArn: string;
  /** The indexer's code: src/entry/lambda-search-indexer.ts. */
  readonly indexerEntry: string;
  readonly tracing: boolean;
  /** gp3 volume of each data node, in GB. */
  readonly volumeGb?: number;
}

/** The domain's node size, which the cost plan prices per instance-hour. */
export const SEARCH_INSTANCE_TYPE = 'm7g.large.search';

/**
 * The role OpenSearch Service needs in the account to place a domain in a VPC:
 * https://docs.aws.amazon.com/opensearch-service/latest/developerguide/slr.html
 */
export const SEARCH_SERVICE_LINKED_ROLE = {
  serviceName: 'opensearchservice.amazonaws.com',
  roleName: 'AWSServiceRoleForAmazonOpenSearchService',
} as const;

/**
 * Product search at the enterprise stage, per region: an OpenSearch domain in the VPC's isolated
 * subnets (two data nodes in two zones, three dedicated masters, encrypted at rest and between
 * nodes, HTTPS with TLS 1.2 only, fine-grained access control with the indexer as master user,
 * logs to CloudWatch), and the indexer: a Lambda in the VPC reading the table's stream (changes
 * replicated from other regions included), reporting failed records so only those are retried,
 * and parking a batch that keeps failing on an encrypted queue.
 */
export class SearchDomain extends Construct {
  readonly domain: Domain;
  readonly indexer: NodeFunction;
  readonly endpoint: string;
  /** The deploy-time preparation of the domain: what writes to it comes after this. */
  readonly preparation: AwsCustomResource;
  private readonly securityGroup: SecurityGroup;
  private readonly readers: string[] = [];
  private readonly logWriters: string[] = [];
  private logRetentionDays: number | undefined;

  constructor(scope: Construct, id: string, props: SearchDomainProps) {
    super(scope, id);
    this.securityGroup = new SecurityGroup(this, 'DomainSecurityGroup', {
      vpc: props.vpc,
      description: 'OpenSearch domain: HTTPS from the indexer and the API',
      allowAllOutbound: false,
    });
    const indexerSecurityGroup = new SecurityGroup(this, 'IndexerSecurityGroup', {
      vpc: props.vpc,
      description: 'Search indexer: reaches the domain, DynamoDB Streams and the failure queue',
    });
    const isolated = { subnetType: SubnetType.PRIVATE_ISOLATED };
    this.indexer = new NodeFunction(this, 'Indexer', {
      entry: props.indexerEntry,
      environment: {},
      timeout: Duration.seconds(60),
      tracing: props.tracing,
      vpc: {
        vpc: props.vpc,
        subnets: { subnetType: SubnetType.PRIVATE_WITH_EGRESS },
        securityGroup: indexerSecurityGroup,
      },
    });
    this.domain = new Domain(this, 'Domain', {
      version: EngineVersion.OPENSEARCH_2_19,
      vpc: props.vpc,
      vpcSubnets: [isolated],
      securityGroups: [this.securityGroup],
      capacity: {
        dataNodes: 2,
        dataNodeInstanceType: SEARCH_INSTANCE_TYPE,
        masterNodes: 3,
        masterNodeInstanceType: SEARCH_INSTANCE_TYPE,
        multiAzWithStandbyEnabled: false,
      },
      zoneAwareness: { enabled: true, availabilityZoneCount: 2 },
      // gp3 at its baseline (3,000 IOPS, 125 MiB/s, the least a gp3 volume takes), cheaper per GB
      // than the gp2 CDK would choose.
      ebs: {
        volumeSize: props.volumeGb ?? 50,
        volumeType: EbsDeviceVolumeType.GP3,
        iops: 3000,
        throughput: 125,
      },
      encryptionAtRest: { enabled: true },
      nodeToNodeEncryption: true,
      enforceHttps: true,
      tlsSecurityPolicy: TLSSecurityPolicy.TLS_1_2,
      fineGrainedAccessControl: { masterUserArn: this.indexer.fn.role!.roleArn },
      logging: {
        slowSearchLogEnabled: true,
        slowIndexLogEnabled: true,
        appLogEnabled: true,
        auditLogEnabled: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.endpoint = `https://${this.domain.domainEndpoint}`;
    acknowledgeSdkCallProvider(this);
    acknowledge(this.domain, {
      'AwsSolutions-OS3':
        'The domain lives in isolated subnets, reachable only through its security group (the indexer and the API nodes); no IP allowlist would narrow that.',
      'AwsSolutions-OS5':
        'Fine-grained access control checks every request: SigV4-signed, by roles mapped inside the domain (the indexer as master, the API read-only).',
      'AwsSolutions-IAM5[Resource::*]':
        "The construct library's log-group resource policy for the domain's logs, applied once by a custom resource.",
    });
    this.indexer.fn.addEnvironment('OPENSEARCH_ENDPOINT', this.endpoint);
    this.indexer.fn.addEnvironment(
      'SEARCH_READER_ROLE_ARNS',
      Lazy.string({ produce: () => this.readers.join(',') }),
    );
    this.allowFrom(indexerSecurityGroup);
    this.domain.grantReadWrite(this.indexer.fn);
    this.preparation = this.prepareAtDeployTime();

    const failures = new Queue(this, 'IndexFailures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(failures, {
      'AwsSolutions-SQS3': 'This queue is itself where the indexer parks the batches it could not index.',
    });
    new EventSourceMapping(this, 'TableStream', {
      target: this.indexer.fn,
      eventSourceArn: props.tableStreamArn,
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: 100,
      maxBatchingWindow: Duration.seconds(1),
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      retryAttempts: 10,
      onFailure: new SqsDlq(failures),
    });
    this.indexer.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
        resources: [props.tableStreamArn],
      }),
    );
    this.indexer.fn.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:ListStreams'], resources: ['*'] }),
    );
    failures.grantSendMessages(this.indexer.fn);
    acknowledge(this.indexer.fn, {
      'AwsSolutions-IAM5[Resource::*]':
        'dynamodb:ListStreams takes no resource-level permissions; X-Ray tracing neither.',
      [this.documentsFinding()]: 'The indexer writes the documents of this domain only.',
    });
  }

  /**
   * Lets a role search the index (the API pods'): IAM lets it call the domain, and the indexer
   * maps it to OpenSearch's read-only role, since fine-grained access control admits no one else.
   */
  allowReader(reader: IRole): void {
    acknowledge(reader, { [this.documentsFinding()]: 'The API searches the documents of this domain only.' });
    reader.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['es:ESHttpGet', 'es:ESHttpPost'],
        resources: [`${this.domain.domainArn}/*`],
      }),
    );
    this.readers.push(reader.roleArn);
  }

  /**
   * Lets a role deliver logs into the domain's `logs-*` indices (Firehose's delivery role): IAM
   * lets it describe the domain, write, and read what Firehose checks before it writes
   * (https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-es), and
   * the deploy-time preparation maps it to the logs writer role, with daily indices deleted after
   * `retentionDays`.
   */
  allowLogWriter(writer: IRole, retentionDays: number): void {
    const arn = this.domain.domainArn;
    const token = arnToken(this.domain);
    const reads = [
      '_all/_settings',
      '_cluster/stats',
      `${LOG_INDEX}*/_mapping`,
      `${LOG_INDEX}*/_mapping/*`,
      '_nodes',
      '_nodes/stats',
      '_nodes/*/stats',
      '_stats',
      `${LOG_INDEX}*/_stats`,
      '',
    ];
    writer.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [
          'es:DescribeDomain',
          'es:DescribeDomains',
          'es:DescribeDomainConfig',
          'es:ESHttpPost',
          'es:ESHttpPut',
        ],
        resources: [arn, `${arn}/*`],
      }),
    );
    writer.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['es:ESHttpGet'], resources: reads.map((path) => `${arn}/${path}`) }),
    );
    const reason =
      'Firehose bulk-writes to the daily logs indices and reads the stats and mappings it checks first; inside the domain it is mapped to a role limited to logs-*.';
    acknowledge(writer, {
      [this.documentsFinding()]: reason,
      ...Object.fromEntries(
        reads
          .filter((path) => path.includes('*'))
          .map((path) => [`AwsSolutions-IAM5[Resource::${token}/${path}]`, reason]),
      ),
    });
    this.logWriters.push(writer.roleArn);
    this.logRetentionDays = retentionDays;
  }

  /**
   * The indexer, invoked by the deployment, prepares the domain (the log store's part included)
   * before anything is delivered to it; the payload names what it prepares, so a change to any of
   * it runs the preparation again. A failed invocation is no error to the SDK call, so its answer
   * is stored in a parameter that accepts only a successful one: a failure fails the deployment.
   */
  private prepareAtDeployTime(): AwsCustomResource {
    const version = Lazy.string({
      produce: () =>
        createHash('sha256')
          .update(JSON.stringify(PRODUCT_MAPPINGS))
          .update(this.logRetentionDays === undefined ? '' : logStoreSetupVersion(this.logRetentionDays))
          .digest('hex')
          .slice(0, 16),
    });
    this.indexer.fn.addEnvironment(
      'LOG_WRITER_ROLE_ARNS',
      Lazy.string({ produce: () => this.logWriters.join(',') }),
    );
    this.indexer.fn.addEnvironment(
      'LOG_RETENTION_DAYS',
      Lazy.string({ produce: () => String(this.logRetentionDays ?? '') }),
    );
    const invoke = {
      service: 'Lambda',
      action: 'invoke',
      parameters: {
        FunctionName: this.indexer.fn.functionName,
        InvocationType: 'RequestResponse',
        Payload: Stack.of(this).toJsonString({
          prepare: true,
          version,
          readers: Lazy.string({ produce: () => this.readers.join(',') }),
          logWriters: Lazy.string({ produce: () => this.logWriters.join(',') }),
        }),
      },
      physicalResourceId: PhysicalResourceId.of(`domain-setup-${version}`),
      outputPaths: ['Payload'],
    };
    const preparation = new AwsCustomResource(this, 'Prepare', {
      onCreate: invoke,
      onUpdate: invoke,
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.indexer.fn.functionArn] }),
      ]),
      installLatestAwsSdk: false,
      timeout: Duration.minutes(2),
    });
    // The indexer must reach the domain: its ingress rules first.
    preparation.node.addDependency(this.securityGroup);
    new StringParameter(this, 'PreparedVersion', {
      description: 'The setup version the search indexer last applied to the OpenSearch domain',
      stringValue: preparation.getResponseField('Payload'),
      allowedPattern: '^\\{"prepared":"[0-9a-f]{16}"\\}$',
    });
    acknowledgeSdkCallProvider(this);
    return preparation;
  }

  /** The finding for a grant on the domain's paths (`<domain ARN>/*`), its documents. */
  private documentsFinding(): string {
    return `AwsSolutions-IAM5[Resource::${arnToken(this.domain)}/*]`;
  }

  /** Lets a security group (the API pods' nodes) reach the domain over HTTPS. */
  allowFrom(peer: ISecurityGroup): void {
    this.securityGroup.addIngressRule(Peer.securityGroupId(peer.securityGroupId), Port.tcp(443), 'HTTPS');
  }
}
