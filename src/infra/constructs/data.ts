import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable, IPrincipal } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { TABLE_SCHEMA } from '../../platform/adapters/dynamodb-table.js';
import { acknowledge, arnToken } from '../acknowledge.js';

export interface DataProps {
  /** Continuous backups for the last 35 days (growing and later). */
  readonly pointInTimeRecovery: boolean;
}

/**
 * The single DynamoDB table, with the same key schema the local table is created with. TableV2
 * so that the scaling stage can add replicas without replacing the table.
 */
export class Data extends Construct {
  readonly table: TableV2;

  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id);
    const string = (name: string) => ({ name, type: AttributeType.STRING });
    this.table = new TableV2(this, 'Table', {
      partitionKey: string(TABLE_SCHEMA.partitionKey),
      sortKey: string(TABLE_SCHEMA.sortKey),
      globalSecondaryIndexes: TABLE_SCHEMA.globalIndexes.map((index) => ({
        indexName: index.name,
        partitionKey: string(index.partitionKey),
        sortKey: string(index.sortKey),
      })),
      billing: Billing.onDemand(),
      timeToLiveAttribute: TABLE_SCHEMA.timeToLiveAttribute,
      encryption: TableEncryptionV2.awsManagedKey(),
      deletionProtection: true,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: props.pointInTimeRecovery },
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** Lets a function read and write this table and its indexes, and nothing else. */
  grantReadWrite(grantee: IGrantable): void {
    this.table.grantReadWriteData(grantee);
    const principal: IPrincipal = grantee.grantPrincipal;
    acknowledge(principal as unknown as Construct, {
      [`AwsSolutions-IAM5[Resource::${arnToken(this.table)}/index/*]`]:
        "Queries need the table's own secondary indexes; the wildcard covers only indexes of this table.",
    });
  }
}
