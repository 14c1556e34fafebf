import { UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestStorefront, silentLogger, type TestStorefront } from '../../test/support/storefront.js';
import { PRODUCT_MAPPINGS } from '../contracts/search-index.js';
import { createDynamoDbClient } from '../platform/adapters/dynamodb-client.js';
import type { SearchClient } from '../platform/adapters/opensearch-index.js';
import {
  type DomainAdminClient,
  indexOperations,
  indexStreamBatch,
  PrepareRequestSchema,
  prepareDomain,
  READER_ROLE,
} from './lambda-search-indexer.js';

/**
 * The stream records come from DynamoDB Local's own stream of a real table the app writes to;
 * OpenSearch, which cannot run here, is the one stand-in: a client that records the bulk request
 * and answers each operation with the status a test chooses.
 */
function bulkRecorder(statuses: (kind: string, id: string) => number) {
  const requests: object[][] = [];
  const client: SearchClient = {
    search: async () => ({ body: {} }),
    bulk: async ({ body }) => {
      requests.push(body);
      const items = [];
      for (const line of body) {
        const [kind, action] = Object.entries(line)[0] ?? [];
        if (kind !== 'index' && kind !== 'delete') continue;
        const status = statuses(kind, (action as { _id: string })._id);
        items.push({ [kind]: { status, ...(status >= 300 ? { error: { type: 'x', reason: 'y' } } : {}) } });
      }
      return { body: { items } };
    },
  };
  return { client, requests };
}

let shop: TestStorefront;
let records: DynamoDBRecord[];
let productIds: string[];

beforeAll(async () => {
  shop = await createTestStorefront();
  const endpoint = inject('dynamodbEndpoint');
  const dynamodb = createDynamoDbClient({ region: 'us-east-1', endpoint });
  const { TableDescription } = await dynamodb.send(
    new UpdateTableCommand({
      TableName: shop.tableName,
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  dynamodb.destroy();
  // The app's writes: two products, one restocked, one deleted, and an account (not a product).
  const lamp = await shop.product({ name: 'Lamp', stock: 5 });
  const desk = await shop.product({ name: 'Desk', stock: 2 });
  await shop.runtime.services.catalog.update(lamp.id, { stock: 9 });
  await shop.runtime.services.catalog.delete(desk.id);
  await shop.customer();
  productIds = [lamp.id, desk.id];

  const streams = new DynamoDBStreamsClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const arn = TableDescription?.LatestStreamArn ?? '';
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
  records = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: arn,
        ShardId: shard.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const page = await streams.send(new GetRecordsCommand({ ShardIterator }));
    records.push(...((page.Records ?? []) as DynamoDBRecord[]));
  }
  streams.destroy();
}, 60_000);

const event = (): DynamoDBStreamEvent => ({ Records: records });

describe('the search indexer (DynamoDB Streams → OpenSearch)', () => {
  it('turns the table’s product changes, and only those, into versioned index and delete operations', () => {
    const operations = indexOperations(records);
    const [lamp, desk] = productIds;
    expect(
      operations.map((op) => `${op.kind} ${(Object.values(op.action)[0] as { _id: string })._id}`),
    ).toEqual([`index ${lamp}`, `index ${desk}`, `index ${lamp}`, `delete ${desk}`]);
    const restock = operations[2];
    expect(restock?.document).toMatchObject({ id: lamp, name: 'Lamp', stock: 9 });
    // Only the product's fields: no keys, no search text, no ElectroDB markers.
    expect(Object.keys(restock?.document ?? {}).sort()).toEqual([
      'category',
      'createdAt',
      'currency',
      'description',
      'id',
      'imageUrl',
      'name',
      'priceCents',
      'stock',
      'updatedAt',
    ]);
    expect(restock?.action).toMatchObject({ index: { version_type: 'external_gte' } });
    // The account written last made no operation.
    expect(records.length).toBeGreaterThan(operations.length);
  });

  it('sends one bulk request and reports no failure when every operation is done or moot', async () => {
    // A replayed change (409: a newer version is there) and a delete of what is gone (404) are done.
    const { client, requests } = bulkRecorder((kind, id) =>
      kind === 'delete' ? 404 : id === productIds[1] ? 409 : 201,
    );
    expect(await indexStreamBatch(client, event(), silentLogger)).toEqual({ batchItemFailures: [] });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toHaveLength(3 * 2 + 1);
  });

  it('reports exactly the records whose operation failed, for Lambda to retry from', async () => {
    const { client } = bulkRecorder((kind, id) => (kind === 'index' && id === productIds[0] ? 429 : 200));
    const lampRecords = indexOperations(records)
      .filter(
        (op) => op.kind === 'index' && (op.action as { index: { _id: string } }).index._id === productIds[0],
      )
      .map((op) => op.sequenceNumber);
    const response = await indexStreamBatch(client, event(), silentLogger);
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(lampRecords);
  });

  it('reports every product record when the domain cannot be reached', async () => {
    const client: SearchClient = {
      search: async () => ({ body: {} }),
      bulk: async () => {
        throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      },
    };
    const response = await indexStreamBatch(client, event(), silentLogger);
    expect(response.batchItemFailures).toHaveLength(4);
  });

  it('does nothing for a batch without products', async () => {
    const { client, requests } = bulkRecorder(() => 200);
    const nonProducts = records.filter((record) => !indexOperations([record]).length);
    expect(nonProducts.length).toBeGreaterThan(0);
    expect(await indexStreamBatch(client, { Records: nonProducts }, silentLogger)).toEqual({
      batchItemFailures: [],
    });
    expect(requests).toEqual([]);
  });
});

describe('preparing the domain on a cold start', () => {
  /** A stand-in for the domain's admin API that keeps what was created and mapped. */
  function domain(existing: string[] = []) {
    const indices = new Map<string, object>(existing.map((name) => [name, {}]));
    const mappings = new Map<string, object>();
    const requests: string[] = [];
    const client: DomainAdminClient = {
      // The log store's requests (log-store-setup.test.ts checks them one by one).
      transport: {
        request: async ({ method, path }) => {
          requests.push(`${method} ${path}`);
          return { statusCode: method === 'GET' ? 404 : 200, body: {} };
        },
      },
      indices: {
        exists: async ({ index }) => ({ body: indices.has(index) }),
        create: async ({ index, body }) => {
          if (indices.has(index)) throw new Error('[resource_already_exists_exception] index exists');
          indices.set(index, body);
        },
      },
      security: {
        createRoleMapping: async ({ role, body }) => {
          mappings.set(role, body);
        },
      },
    };
    return { client, indices, mappings, requests };
  }
  const POD_ROLE = 'arn:aws:iam::123456789012:role/Growstack-api-pods-us-east-1';

  it('creates the product index with its mappings and maps the API role to the read-only role', async () => {
    const { client, indices, mappings } = domain();
    await prepareDomain(client, [POD_ROLE]);
    expect(indices.get('products')).toEqual({ mappings: PRODUCT_MAPPINGS });
    expect(mappings.get(READER_ROLE)).toEqual({ backend_roles: [POD_ROLE] });
  });

  it('leaves an existing index alone, and takes a lost race to create it as done', async () => {
    const existing = domain(['products']);
    await prepareDomain(existing.client, []);
    expect(existing.indices.get('products')).toEqual({});
    expect(existing.mappings.size).toBe(0);
    const racing = domain();
    racing.client.indices.exists = async () => ({ body: false });
    racing.indices.set('products', {});
    await expect(prepareDomain(racing.client, [POD_ROLE])).resolves.toBeUndefined();
  });

  it('tells the deployment’s request to prepare from a stream batch', () => {
    const request = { prepare: true, version: '0123456789abcdef', logWriters: 'arn:aws:iam::1:role/x' };
    expect(PrepareRequestSchema.parse(request)).toEqual(request);
    expect(PrepareRequestSchema.safeParse(event()).success).toBe(false);
  });

  it('prepares the log store only when asked with a writer role to map', async () => {
    const plain = domain();
    await prepareDomain(plain.client, [POD_ROLE]);
    expect(plain.requests).toEqual([]);
    const withLogs = domain();
    const writerRoleArns = ['arn:aws:iam::123456789012:role/Growstack-log-delivery'];
    await prepareDomain(withLogs.client, [POD_ROLE], { logStore: { writerRoleArns, retentionDays: 14 } });
    expect(withLogs.indices.has('products')).toBe(true);
    expect(withLogs.requests).toContain('PUT /_plugins/_security/api/rolesmapping/logs_writer');
  });
});
