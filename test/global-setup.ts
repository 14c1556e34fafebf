import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../src/platform/runtime/dynamodb-local.js';

/**
 * One DynamoDB Local for the whole run (in memory). Each test file creates its own table in it,
 * so files stay independent without paying Java's start-up per file.
 */
// The SDK's Node 22 notice is for upgrading, not for every test run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dynamo = await startDynamoDbLocal();
  project.provide('dynamodbEndpoint', dynamo.endpoint);
  return () => dynamo.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}
