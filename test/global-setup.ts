import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../src/platform/runtime/dynamodb-local.js';
import { startSesLocal } from '../src/platform/runtime/ses-local.js';

/**
 * One DynamoDB Local for the whole run (in memory). Each test file creates its own table in it,
 * so files stay independent without paying Java's start-up per file.
 */
// The SDK's Node 22 notice is for upgrading, not for every test run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [dynamo, ses] = await Promise.all([startDynamoDbLocal(), startSesLocal()]);
  project.provide('dynamodbEndpoint', dynamo.endpoint);
  project.provide('sesEndpoint', ses.endpoint);
  return async () => {
    await Promise.all([dynamo.stop(), ses.stop()]);
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    sesEndpoint: string;
  }
}
