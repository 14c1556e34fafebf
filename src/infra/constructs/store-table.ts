import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AttributeType,
  Billing,
  type ITableV2,
  StreamViewType,
  TableEncryptionV2,
  TableV2,
} from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable, IPrincipal } from 'aws-cdk-lib/aws-iam';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { TABLE_SCHEMA } from '../../contracts/table-schema.js';
import { acknowledge, acknowledgeSdkCallProvider, arnToken } from '../acknowledge.js';

export interface StoreTableProps {
  /** The table's name: fixed, so every region's stack finds its replica by it. */
  readonly tableName: string;
  /** Continuous backups for the last 35 days (growing and later). */
  readonly pointInTimeRecovery: boolean;
  /** Regions that hold a replica beside this stack's (scaling and later): a global table. */
  readonly replicaRegions?: readonly string[];
}

/**
 * The single DynamoDB table, with the same key schema the local table is created with. TableV2
 * so that the scaling stage can add replicas without replacing the table.
 */
export class StoreTable extends Construct {
  readonly table: ITableV2;
  /** The ARN of the table's indexes as cdk-nag prints it in a wildcard finding. */
  private readonly indexArn: string;
  private readonly tableName: string;
  private streamArnValue: string | undefined;

  /**
   * The replica of the global table in a secondary region's stack: created by the primary
   * region's stack (one AWS::DynamoDB::GlobalTable lists every replica), found here by name.
   */
  static replica(scope: Construct, id: string, tableName: string): StoreTable {
    return new StoreTable(scope, id, { tableName, pointInTimeRecovery: false }, true);
  }

  constructor(scope: Construct, id: string, props: StoreTableProps, imported = false) {
    super(scope, id);
    this.tableName = props.tableName;
    if (imported) {
      this.table = TableV2.fromTableName(this, 'Table', props.tableName);
      this.indexArn = `arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table/${props.tableName}/index/*`;
      return;
    }
    const string = (name: string) => ({ name, type: AttributeType.STRING });
    const table = new TableV2(this, 'Table', {
      partitionKey: string(TABLE_SCHEMA.partitionKey),
      sortKey: string(TABLE_SCHEMA.sortKey),
      globalSecondaryIndexes: TABLE_SCHEMA.globalIndexes.map((index) => ({
        indexName: index.name,
        partitionKey: string(index.partitionKey),
        sortKey: string(index.sortKey),
      })),
      tableName: props.tableName,
      billing: Billing.onDemand(),
      // Global tables (version 2019.11.21): every replica takes writes; the last writer wins.
      replicas: (props.replicaRegions ?? []).map((region) => ({ region })),
      // A stream of every change at every stage: replicas need it, the search indexer reads it
      // (enterprise), and CloudFormation changes a global table's stream only while it has one
      // replica, so switching it on with the first added replica is not certain to deploy:
      // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-dynamodb-globaltable-streamspecification.html
      // An unread stream costs nothing.
      dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES,
      timeToLiveAttribute: TABLE_SCHEMA.timeToLiveAttribute,
      encryption: TableEncryptionV2.awsManagedKey(),
      deletionProtection: true,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: props.pointInTimeRecovery },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table = table;
    this.streamArnValue = table.tableStreamArn;
    this.indexArn = `${arnToken(table)}/index/*`;
  }

  /**
   * The ARN of this region's stream of the table. A replica's stream gets its ARN (which carries
   * a creation time) when the primary's stack makes the replica, so the secondary region's stack
   * reads it with one DescribeTable call at deploy time.
   */
  streamArn(): string {
    if (this.streamArnValue) return this.streamArnValue;
    const tableArn = Stack.of(this).formatArn({
      service: 'dynamodb',
      resource: 'table',
      resourceName: this.tableName,
    });
    const call = {
      service: 'DynamoDB',
      action: 'describeTable',
      parameters: { TableName: this.tableName },
      physicalResourceId: PhysicalResourceId.of(`${this.tableName}-stream`),
      outputPaths: ['Table.LatestStreamArn'],
    };
    const lookup = new AwsCustomResource(this, 'StreamLookup', {
      onCreate: call,
      onUpdate: call,
      policy: AwsCustomResourcePolicy.fromSdkCalls({ resources: [tableArn] }),
      installLatestAwsSdk: false,
    });
    this.streamArnValue = lookup.getResponseField('Table.LatestStreamArn');
    acknowledgeSdkCallProvider(this);
    return this.streamArnValue;
  }

  /** Lets a function read and write this table and its indexes, and nothing else. */
  grantReadWrite(grantee: IGrantable): void {
    this.table.grantReadWriteData(grantee);
    const principal: IPrincipal = grantee.grantPrincipal;
    acknowledge(principal as unknown as Construct, {
      [`AwsSolutions-IAM5[Resource::${this.indexArn}]`]:
        "Queries need the table's own secondary indexes; the wildcard covers only indexes of this table.",
    });
  }
}
