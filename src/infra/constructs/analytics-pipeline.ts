import { Duration, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import { CfnNamedQuery, CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import { Stream, StreamEncryption, StreamMode } from 'aws-cdk-lib/aws-kinesis';
import { Compression, DeliveryStream, KinesisStreamSource, S3Bucket } from 'aws-cdk-lib/aws-kinesisfirehose';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectOwnership,
  StorageClass,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { REPORT_WINDOWS, type ReportWindow } from '../../contracts/ports.js';
import { topProductsSql } from '../../contracts/top-products-sql.js';
import { acknowledge, bucketReadWriteFindings } from '../acknowledge.js';

export interface AnalyticsPipelineProps {
  /** Where the event and query-result buckets write their access logs. */
  readonly accessLogs: IBucket;
  /** Glue database name: lower case, letters, digits and underscores. */
  readonly databaseName: string;
  /** The stream's fixed name: other regions' stacks put to it by ARN. */
  readonly streamName?: string;
  /**
   * Which engine answers the reports: Athena (a workgroup and saved queries, the default) or
   * Redshift Serverless (`AnalyticsWarehouse`, added beside the pipeline by the stack), in which
   * case no Athena workgroup is made: it holds no data, and the plan would price both.
   */
  readonly engine?: 'athena' | 'redshift';
}

/** Where Firehose files events: one folder per day and hour (UTC), which the table projects. */
export const EVENTS_PREFIX = 'events/dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/';
export const EVENTS_TABLE = 'events';

/**
 * Real-time analytics (enterprise): `POST /api/events` puts each event on a Kinesis stream
 * (on-demand, encrypted); Firehose delivers it to S3 as GZIP'd JSON lines, partitioned by day and
 * hour; a Glue table over those files (partition projection: no crawler to run or pay for) lets
 * Athena answer "top products in the last hour / day" with saved queries in a workgroup that caps
 * the data one query may scan.
 *
 * Athena by default: the question reads at most two days of small, compressed events, which
 * Athena bills at $5 per TB scanned (10 MB minimum): $16 a month at 1M users with the report
 * refreshed every five minutes. With `engine: 'redshift'` the stack adds a Redshift Serverless
 * warehouse over the same files instead (`AnalyticsWarehouse`), billed at least 60 s of its base
 * RPUs per query: $432 a month at 8 RPUs. See docs/cost-model.md.
 */
export class AnalyticsPipeline extends Construct {
  readonly stream: Stream;
  readonly bucket: Bucket;
  readonly deliveryStream: DeliveryStream;
  /** Athena's workgroup, when Athena answers the reports. */
  readonly workGroup: CfnWorkGroup | undefined;
  readonly databaseName: string;
  /** The Glue database: tables over the same files (the warehouse's) depend on it. */
  readonly database: CfnDatabase;

  constructor(scope: Construct, id: string, props: AnalyticsPipelineProps) {
    super(scope, id);
    this.databaseName = props.databaseName;
    this.stream = new Stream(this, 'Events', {
      ...(props.streamName ? { streamName: props.streamName } : {}),
      streamMode: StreamMode.ON_DEMAND,
      encryption: StreamEncryption.MANAGED,
      retentionPeriod: Duration.hours(24),
    });

    this.bucket = new Bucket(this, 'EventFiles', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'analytics-events/',
      lifecycleRules: [
        {
          transitions: [{ storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) }],
          expiration: Duration.days(400),
        },
        { prefix: 'athena-results/', expiration: Duration.days(7) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.deliveryStream = new DeliveryStream(this, 'Delivery', {
      source: new KinesisStreamSource(this.stream),
      destination: new S3Bucket(this.bucket, {
        compression: Compression.GZIP,
        dataOutputPrefix: EVENTS_PREFIX,
        errorOutputPrefix: 'errors/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/',
        // A file a minute at most: the hour's report is at most a minute behind.
        bufferingInterval: Duration.seconds(60),
        bufferingSize: Size.mebibytes(64),
      }),
    });

    acknowledge(this.deliveryStream, {
      ...bucketReadWriteFindings(
        this.bucket,
        "Firehose writes the event files into this one bucket; the wildcards are CDK's grantReadWrite.",
      ),
      'AwsSolutions-KDF1':
        'Firehose cannot encrypt a stream it reads from Kinesis; the records are encrypted in the stream (KMS) and the files in S3 (SSE-S3).',
    });

    const account = Stack.of(this).account;
    const database = new CfnDatabase(this, 'Database', {
      catalogId: account,
      databaseInput: { name: props.databaseName, description: 'Storefront analytics events' },
    });
    const location = `s3://${this.bucket.bucketName}/events/`;
    const table = new CfnTable(this, 'EventsTable', {
      catalogId: account,
      databaseName: props.databaseName,
      tableInput: {
        name: EVENTS_TABLE,
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          classification: 'json',
          'projection.enabled': 'true',
          'projection.dt.type': 'date',
          'projection.dt.format': 'yyyy-MM-dd',
          'projection.dt.range': '2026-01-01,NOW',
          'projection.dt.interval': '1',
          'projection.dt.interval.unit': 'DAYS',
          'projection.hour.type': 'integer',
          'projection.hour.range': '0,23',
          'projection.hour.digits': '2',
          'storage.location.template': `${location}dt=\${dt}/hour=\${hour}/`,
        },
        partitionKeys: [
          { name: 'dt', type: 'string' },
          { name: 'hour', type: 'string' },
        ],
        storageDescriptor: eventFilesStorage(location),
      },
    });
    table.addResourceDependency(database);
    this.database = database;
    if ((props.engine ?? 'athena') !== 'athena') {
      this.workGroup = undefined;
      return;
    }

    const workGroup = new CfnWorkGroup(this, 'WorkGroup', {
      name: `${props.databaseName}-reports`,
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        // 10 GB: a runaway query costs at most 5 cents.
        bytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        resultConfiguration: {
          outputLocation: `s3://${this.bucket.bucketName}/athena-results/`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });
    this.workGroup = workGroup;
    for (const window of Object.keys(REPORT_WINDOWS) as ReportWindow[]) {
      const query = new CfnNamedQuery(this, `TopProducts${window === 'hour' ? 'Hour' : 'Day'}`, {
        name: `top-products-last-${window}`,
        description: `Top products in the last ${window}, ranked as the ops console ranks them`,
        database: props.databaseName,
        workGroup: workGroup.ref,
        queryString: topProductsSql(window, { database: props.databaseName, table: EVENTS_TABLE }),
      });
      query.addResourceDependency(workGroup);
      query.addResourceDependency(table);
    }
  }
}

/**
 * The event files Firehose delivers, as Glue describes them to Athena and to Redshift Spectrum:
 * GZIP'd JSON lines of `{type, productId, at}` (column names are lower-cased by the JSON SerDe).
 */
export function eventFilesStorage(location: string): CfnTable.StorageDescriptorProperty {
  return {
    location,
    inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
    outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
    compressed: true,
    serdeInfo: { serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' },
    columns: [
      { name: 'type', type: 'string' },
      { name: 'productid', type: 'string' },
      { name: 'at', type: 'string' },
    ],
  };
}
