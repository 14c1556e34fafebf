import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { traceAwsClient } from '../tracing.js';
import { type AwsClientOptions, awsClientConfig } from './aws-client-config.js';

export interface DynamoDbClientOptions extends AwsClientOptions {
  readonly maxAttempts?: number;
}

/** The DynamoDB client for both worlds; locally the endpoint points at DynamoDB Local. */
export function createDynamoDbClient(options: DynamoDbClientOptions): DynamoDBClient {
  return traceAwsClient(
    new DynamoDBClient({ ...awsClientConfig(options), maxAttempts: options.maxAttempts ?? 3 }),
    options.region,
  );
}

export { createDocumentClient } from './dynamodb-document-client.js';
