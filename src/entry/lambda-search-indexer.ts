import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { type Logger, ProductRecordSchema } from '../contracts/ports.js';
import { PRODUCT_INDEX, PRODUCT_MAPPINGS } from '../contracts/search-index.js';
import { z } from '../contracts/zod.js';
import { createOpenSearchClient, type SearchClient } from '../platform/adapters/opensearch-index.js';
import { createPinoLogger } from '../platform/adapters/pino-logger.js';
import {
  type LogStoreClient,
  type LogStoreOptions,
  prepareLogStore,
} from '../platform/runtime/log-store-setup.js';

/** ElectroDB marks each item with its entity's name. */
const ENTITY_ATTRIBUTE = '__edb_e__';

interface Operation {
  /** The stream record it came from: what a failure is reported as. */
  readonly sequenceNumber: string;
  readonly action: object;
  readonly document?: object;
  readonly kind: 'index' | 'delete';
}

const imageOf = (image: Record<string, unknown> | undefined) =>
  image ? unmarshall(image as Record<string, AttributeValue>) : undefined;

/**
 * The index operations for a batch of table changes: products only (the table holds users,
 * orders and the rest too). Each write carries the product's `updatedAt` as an external version,
 * so the operations are idempotent and order-proof: a replayed or late change never overwrites a
 * newer one (OpenSearch answers it 409, which counts as done).
 */
export function indexOperations(records: readonly DynamoDBRecord[], index = PRODUCT_INDEX): Operation[] {
  const operations: Operation[] = [];
  for (const record of records) {
    const sequenceNumber = record.dynamodb?.SequenceNumber;
    if (!sequenceNumber) continue;
    const next = imageOf(record.dynamodb?.NewImage as Record<string, unknown> | undefined);
    const previous = imageOf(record.dynamodb?.OldImage as Record<string, unknown> | undefined);
    const item = next ?? previous;
    if (item?.[ENTITY_ATTRIBUTE] !== 'product') continue;
    if (record.eventName === 'REMOVE' && previous) {
      const product = ProductRecordSchema.parse(previous);
      operations.push({
        sequenceNumber,
        kind: 'delete',
        action: {
          delete: {
            _index: index,
            _id: product.id,
            // Newer than the last write it removes.
            version: Date.parse(product.updatedAt) + 1,
            version_type: 'external_gte',
          },
        },
      });
    } else if (next) {
      const product = ProductRecordSchema.parse(next);
      operations.push({
        sequenceNumber,
        kind: 'index',
        action: {
          index: {
            _index: index,
            _id: product.id,
            version: Date.parse(product.updatedAt),
            version_type: 'external_gte',
          },
        },
        document: product,
      });
    }
  }
  return operations;
}

interface BulkItem {
  readonly status?: number;
  readonly error?: { type?: string; reason?: string };
}

/** Whether OpenSearch did what the operation asked, or something that makes it moot. */
function settled(kind: Operation['kind'], item: BulkItem | undefined): boolean {
  const status = item?.status ?? 500;
  if (status < 300) return true;
  // A newer version is already there: this change is history.
  if (status === 409) return true;
  // Deleting what is not there.
  return kind === 'delete' && status === 404;
}

/**
 * One batch of table changes into the product index, in one bulk request. Records whose
 * operation failed are reported (ReportBatchItemFailures): Lambda retries the batch from the
 * first of them, and the external versions make the retried operations harmless.
 */
export async function indexStreamBatch(
  client: SearchClient,
  event: DynamoDBStreamEvent,
  logger: Logger,
  index = PRODUCT_INDEX,
): Promise<DynamoDBBatchResponse> {
  const operations = indexOperations(event.Records, index);
  if (operations.length === 0) return { batchItemFailures: [] };
  const body = operations.flatMap((operation) =>
    operation.document ? [operation.action, operation.document] : [operation.action],
  );
  let items: { [kind: string]: BulkItem }[];
  try {
    const response = await client.bulk({ body });
    items = (response.body as { items?: { [kind: string]: BulkItem }[] }).items ?? [];
  } catch (error) {
    logger.error(
      { err: error, operations: operations.length },
      'search index unreachable; the batch is retried',
    );
    return { batchItemFailures: operations.map((op) => ({ itemIdentifier: op.sequenceNumber })) };
  }
  const failed = operations.filter((operation, position) => {
    const item = items[position]?.[operation.kind];
    if (settled(operation.kind, item)) return false;
    logger.warn(
      { sequenceNumber: operation.sequenceNumber, status: item?.status, error: item?.error },
      'index operation failed; reported for retry',
    );
    return true;
  });
  return { batchItemFailures: failed.map((operation) => ({ itemIdentifier: operation.sequenceNumber })) };
}

/** What the indexer, the domain's fine-grained-access master user, sets up in the domain. */
export interface DomainAdminClient extends LogStoreClient {
  indices: {
    exists(params: { index: string }): Promise<{ body: boolean }>;
    create(params: { index: string; body: object }): Promise<unknown>;
  };
  security: {
    createRoleMapping(params: { role: string; body: object }): Promise<unknown>;
  };
}

/** OpenSearch's built-in role that may search every index and write none. */
export const READER_ROLE = 'readall';

/**
 * Makes the domain ready, at deploy time and once per cold start: the product index with its
 * mappings (typo-tolerant text, keyword filters) before the first write could create it with
 * guessed ones, and the API's IAM roles mapped to the read-only role, since fine-grained access
 * control lets no other role in. With `logStore` (deploy time only: it rewrites the dashboards)
 * also the log store's policy, template, writer role and dashboard. Every call is idempotent.
 */
export async function prepareDomain(
  client: DomainAdminClient,
  readerRoleArns: readonly string[],
  options: { readonly index?: string; readonly logStore?: LogStoreOptions | undefined } = {},
): Promise<void> {
  const index = options.index ?? PRODUCT_INDEX;
  if (!(await client.indices.exists({ index })).body) {
    try {
      await client.indices.create({ index, body: { mappings: PRODUCT_MAPPINGS } });
    } catch (error) {
      // Another cold start created it first.
      if (!String((error as Error).message).includes('resource_already_exists_exception')) throw error;
    }
  }
  if (readerRoleArns.length > 0)
    await client.security.createRoleMapping({
      role: READER_ROLE,
      body: { backend_roles: [...readerRoleArns] },
    });
  if (options.logStore && options.logStore.writerRoleArns.length > 0)
    await prepareLogStore(client, options.logStore);
}

/**
 * What the deployment sends the indexer (a custom resource invokes it) to prepare the domain
 * before anything writes to it: `version` fingerprints what the preparation writes, so a change
 * re-runs it. Other keys (the roles it maps) are there only to make their change re-run it too.
 */
export const PrepareRequestSchema = z.looseObject({
  prepare: z.literal(true),
  version: z.string().default(''),
});
export type PrepareRequest = z.input<typeof PrepareRequestSchema>;

/** The answer to a preparation, which the deployment checks: a failed invocation answers otherwise. */
export interface PrepareResponse {
  readonly prepared: string;
}

const logger = createPinoLogger(process.env.LOG_LEVEL ?? 'info', { function: 'search-indexer' });
let client: (SearchClient & DomainAdminClient) | undefined;
let prepared: Promise<void> | undefined;

const roleArns = (value: string | undefined) => (value ?? '').split(',').filter(Boolean);
const RetentionSchema = z.coerce.number().int().positive();

/**
 * The Lambda handler: DynamoDB Streams of the table → the OpenSearch domain (enterprise); and,
 * asked by the deployment, the domain's preparation, the log store's included.
 */
export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse>;
export async function handler(event: PrepareRequest): Promise<PrepareResponse>;
export async function handler(
  event: DynamoDBStreamEvent | PrepareRequest,
): Promise<DynamoDBBatchResponse | PrepareResponse> {
  const endpoint = process.env.OPENSEARCH_ENDPOINT;
  if (!endpoint) throw new Error('OPENSEARCH_ENDPOINT is not set');
  client ??= createOpenSearchClient({ endpoint, region: process.env.AWS_REGION ?? 'us-east-1' });
  const current = client;
  const readers = roleArns(process.env.SEARCH_READER_ROLE_ARNS);
  const request = PrepareRequestSchema.safeParse(event);
  if (request.success) {
    const writers = roleArns(process.env.LOG_WRITER_ROLE_ARNS);
    // A missing retention must not become a policy that deletes each day's logs at once.
    const logStore =
      writers.length > 0
        ? { writerRoleArns: writers, retentionDays: RetentionSchema.parse(process.env.LOG_RETENTION_DAYS) }
        : undefined;
    await prepareDomain(current, readers, { logStore });
    logger.info({ version: request.data.version, logWriters: writers.length }, 'domain prepared');
    prepared = Promise.resolve();
    return { prepared: request.data.version };
  }
  prepared ??= prepareDomain(current, readers).catch((error: unknown) => {
    prepared = undefined;
    throw error;
  });
  await prepared;
  return indexStreamBatch(current, event as DynamoDBStreamEvent, logger);
}
