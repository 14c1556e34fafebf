import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConflictError } from '../contracts/errors.js';
import { loadConfig } from '../platform/config.js';
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
  'Without --endpoint or --aws it works on the local data under .growstack/: through the running',
  "instance's DynamoDB Local when npm start runs there (its endpoint is in .growstack/instance.lock),",
  'otherwise starting DynamoDB Local for the duration.',
];

export interface TableTarget {
  readonly client: DynamoDBClient;
  readonly table: string;
  /** Where the table is, for people. */
  readonly where: string;
  /**
   * Whether something may write while we read: the table on AWS, an endpoint we were given, a
   * running local instance. Only local data we started DynamoDB Local for ourselves is still.
   */
  readonly live: boolean;
  close(): Promise<void>;
}

export interface OpenTableOptions {
  /**
   * What to do when a local instance (npm start) holds the data: `use` its DynamoDB Local (a
   * backup), or `refuse` (a restore: writing under a running app would bypass its caches).
   */
  readonly running: 'use' | 'refuse';
}

/** Opens the table the flags name; local data gets a DynamoDB Local of its own. */
export async function openTable(
  values: OptionValues,
  progress: (line: string) => void,
  options: OpenTableOptions,
): Promise<TableTarget> {
  const config = loadConfig(process.env, {
    tableName: stringFlag(values, 'table'),
    region: stringFlag(values, 'region'),
    dynamodbEndpoint: stringFlag(values, 'endpoint'),
  });
  const { createDynamoDbClient } = await import('../platform/adapters/dynamodb-client.js');
  const { ensureTable } = await import('../platform/adapters/dynamodb-table-setup.js');
  if (values.aws) {
    const client = createDynamoDbClient({ region: config.region });
    return {
      client,
      table: config.tableName,
      where: `AWS ${config.region}`,
      live: true,
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
      live: true,
      close: async () => client.destroy(),
    };
  }
  const { join } = await import('node:path');
  const { liveInstance } = await import('../platform/runtime/instance-lock.js');
  const { startDynamoDbLocal } = await import('../platform/runtime/dynamodb-local.js');
  const running = liveInstance(config.dataDir);
  if (running && options.running === 'refuse')
    throw new ConflictError(
      `the local storefront (pid ${running.pid}) is running on ${config.dataDir}; stop npm start first, or pass --endpoint`,
    );
  if (running) {
    if (!running.dynamodbEndpoint)
      throw new ConflictError(
        `the local storefront (pid ${running.pid}) on ${config.dataDir} is still starting; try again when it serves`,
      );
    const client = createDynamoDbClient({ region: config.region, endpoint: running.dynamodbEndpoint });
    progress(`npm start (pid ${running.pid}) holds ${config.dataDir}: reading through its DynamoDB Local`);
    return {
      client,
      table: config.tableName,
      where: running.dynamodbEndpoint,
      live: true,
      close: async () => client.destroy(),
    };
  }
  progress('starting DynamoDB Local');
  const dynamo = await startDynamoDbLocal({ dbPath: join(config.dataDir, 'dynamodb') });
  const client = createDynamoDbClient({ region: config.region, endpoint: dynamo.endpoint });
  await ensureTable(client, config.tableName);
  return {
    client,
    table: config.tableName,
    where: `local data in ${config.dataDir}`,
    live: false,
    close: async () => {
      client.destroy();
      await dynamo.stop();
    },
  };
}
