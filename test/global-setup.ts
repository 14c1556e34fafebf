import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
// @ts-expect-error: plain JavaScript beside the CLI's launcher, without type declarations.
import { compiledEntry } from '../bin/compiled-cli.mjs';
import { startFauxqsServer } from '../src/entry/local-queue.js';
import { startDynamoDbLocal } from '../src/platform/runtime/dynamodb-local.js';
import { startRedisLocal } from '../src/platform/runtime/redis-local.js';
import { startSesLocal } from '../src/platform/runtime/ses-local.js';

/**
 * One DynamoDB Local, one fauxqs, one SES stand-in and one redis-server for the whole run (all in memory). Each
 * test file creates its own table and queues in them, so files stay independent without paying
 * the start-ups per file.
 */
// The SDK's Node 22 notice is for upgrading, not for every test run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The suites that spawn `growstack dev` run it compiled, as `npm start` does: built once here
  // rather than by several test files at once.
  const [dynamo, ses, sqs, redis] = await Promise.all([
    startDynamoDbLocal(),
    startSesLocal(),
    startFauxqsServer('us-east-1'),
    startRedisLocal(),
    compiledEntry(join(import.meta.dirname, '..'), 'src/cli/main.ts'),
  ]);
  project.provide('dynamodbEndpoint', dynamo.endpoint);
  project.provide('redisUrl', redis.url);
  project.provide('sesEndpoint', ses.endpoint);
  project.provide('sqsEndpoint', sqs.endpoint);
  return async () => {
    await Promise.all([dynamo.stop(), ses.stop(), sqs.stop(), redis.stop()]);
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    sesEndpoint: string;
    sqsEndpoint: string;
    redisUrl: string;
  }
}
