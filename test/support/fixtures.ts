import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { inject } from 'vitest';
import type { Logger } from '../../src/contracts/ports.js';
import { createDynamoDbClient } from '../../src/platform/adapters/dynamodb-client.js';
import { ensureTable } from '../../src/platform/adapters/dynamodb-table-setup.js';
import { createPinoLogger } from '../../src/platform/adapters/pino-logger.js';

/** A new, empty storefront table in the run's DynamoDB Local (or `endpoint`); its name. */
export async function freshTable(prefix: string, endpoint = inject('dynamodbEndpoint')): Promise<string> {
  const tableName = `${prefix}-${randomUUID()}`;
  const client = createDynamoDbClient({ region: 'us-east-1', endpoint });
  try {
    await ensureTable(client, tableName);
  } finally {
    client.destroy();
  }
  return tableName;
}

/** The app's own JSON logger, writing into `lines` instead of stdout, for tests that read the logs. */
export function capturedLogs(level = 'info'): { lines: Record<string, unknown>[]; logger: Logger } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createPinoLogger(level, {}, sink) };
}
