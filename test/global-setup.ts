import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../src/platform/runtime/dynamodb-local.js';

/**
 * One DynamoDB Local for the whole run (in memory). Each test file creates its own table in it,
 * so files stay independent without paying Java's start-up per file.
 */
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
