import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Document client: plain JavaScript values in and out, as ElectroDB expects. Apart from
 * dynamodb-client.ts so a bundle that traces nothing (the Lambda@Edge renderer) carries no
 * OpenTelemetry.
 */
export function createDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
