import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoDbClientOptions {
  readonly region: string;
  /** DynamoDB Local's URL; unset on AWS, where the SDK finds the regional endpoint. */
  readonly endpoint?: string | undefined;
  readonly maxAttempts?: number;
}

/**
 * The DynamoDB client for both worlds. Locally the endpoint points at DynamoDB Local, which
 * accepts any credentials, so fixed ones keep a developer's real AWS profile out of the way.
 */
export function createDynamoDbClient(options: DynamoDbClientOptions): DynamoDBClient {
  return new DynamoDBClient({
    region: options.region,
    maxAttempts: options.maxAttempts ?? 3,
    ...(options.endpoint
      ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
}

/** Document client: plain JavaScript values in and out, as ElectroDB expects. */
export function createDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
