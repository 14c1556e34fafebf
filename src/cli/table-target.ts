import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadConfig } from '../platform/config.js';
import { ConflictError } from '../platform/errors.js';
import type { Command, OptionValues } from './command.js';
import { stringFlag } from './command.js';

/** The flags that pick which table `backup` and `restore` work on. */
export const tableTargetOptions: Command['options'] = {
  table: { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
  aws: { type: 'boolean' },
};

export const tableTargetHelp = [
  '  --table NAME     table name (default: growstack, or TABLE_NAME)',
  '  --region R       AWS region (default: us-east-1, or AWS_REGION)',
  '  --endpoint URL   a running DynamoDB (Local) endpoint (or DYNAMODB_ENDPOINT)',
  '  --aws            the real table on AWS, with the usual AWS credentials',
  '',
  'Without --endpoint or --aws it works on the local data under .growstack/, starting DynamoDB',
  'Local for the duration (stop npm start first: one process at a time may hold that data).',
];

export interface TableTarget {
  readonly client: DynamoDBClient;
  readonly table: string;
  /** Where the table is, for people. */
  readonly where: string;
  close(): Promise<void>;
}

/** Opens the table the flags name; local data gets a DynamoDB Local of its own. */
export async function openTable(
  values: OptionValues,
  progress: (line: string) => void,
): Promise<TableTarget> {
  const config = loadConfig(process.env, {
    tableName: stringFlag(values, 'table'),
    region: stringFlag(values, 'region'),
    dynamodbEndpoint: stringFlag(values, 'endpoint'),
  });
  const { createDynamoDbClient } = await import('../platform/adapters/dynamodb-client.js');
  const { ensureTable } = await import('../platform/adapters/dynamodb-table.js');
  if (values.aws) {
    const client = createDynamoDbClient({ region: config.region });
    return {
      client,
      table: config.tableName,
      where: `AWS ${config.region}`,
      close: async () => client.destroy(),
    };
  }
  if (config.dynamodbEndpoint) {
    const client = createDynamoDbClient({ region: config.region, endpoint: config.dynamodbEndpoint });
    await ensureTable(client, config.tableName);
    return {
      client,
      table: config.tableName,
      where: config.dynamodbEndpoint,
      close: async () => client.destroy(),
    };
  }
  const { join } = await import('node:path');
  const { dynamoDbPidFile, runningDynamoDbPid } = await import('../platform/runtime/local-supervisor.js');
  const { startDynamoDbLocal } = await import('../platform/runtime/dynamodb-local.js');
  if (runningDynamoDbPid(dynamoDbPidFile(config.dataDir)) !== null)
    throw new ConflictError(
      `the local storefront is running on ${config.dataDir}; stop npm start first, or pass --endpoint`,
    );
  progress('starting DynamoDB Local');
  const dynamo = await startDynamoDbLocal({ dbPath: join(config.dataDir, 'dynamodb') });
  const client = createDynamoDbClient({ region: config.region, endpoint: dynamo.endpoint });
  await ensureTable(client, config.tableName);
  return {
    client,
    table: config.tableName,
    where: `local data in ${config.dataDir}`,
    close: async () => {
      client.destroy();
      await dynamo.stop();
    },
  };
}
