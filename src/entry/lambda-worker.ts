import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type Job, type JobPorts, JobSchema, runJob } from '../app/jobs/jobs.js';
import { TABLE_SCHEMA } from '../contracts/table-schema.js';
import { createDynamoDbClient } from '../platform/adapters/dynamodb-client.js';
import { createDynamoDbTable } from '../platform/adapters/dynamodb-table-port.js';
import { SesMailer } from '../platform/adapters/ses-mailer.js';
import { type Config, loadConfig } from '../platform/config.js';
import { traceJob } from '../platform/tracing.js';

export interface WorkerPorts extends JobPorts {
  /** Where finished jobs are remembered; without it a redelivered job runs again. */
  readonly idempotency?: DynamoDBPersistenceLayer;
}

/** Parses one message body; a malformed one throws, so it is retried and then dead-lettered alone. */
export function parseJob(record: SQSRecord): Job {
  return JobSchema.parse(JSON.parse(record.body));
}

/** Finished jobs are remembered a week: longer than any redelivery (SQS keeps messages 4 days by default). */
const REMEMBER_SECONDS = 7 * 24 * 3600;

/**
 * Builds an SQS handler that runs each message's job and reports only the failed messages
 * (`batchItemFailures`), so one bad message does not make SQS redeliver the whole batch.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting
 * With idempotency, a job whose identical body already ran (a redelivery, a duplicate enqueue)
 * returns the remembered result instead of sending a second e-mail.
 */
export function createWorkerHandler(ports: WorkerPorts) {
  const processor = new BatchProcessor(EventType.SQS);
  const run = async (job: Job) => {
    await runJob(job, ports);
    return { done: job.type };
  };
  const idempotencyConfig = new IdempotencyConfig({ expiresAfterSeconds: REMEMBER_SECONDS });
  const runOnce = ports.idempotency
    ? makeIdempotent(run, { persistenceStore: ports.idempotency, config: idempotencyConfig })
    : run;
  // Each job is a trace of its own, linked to the request that enqueued it (where a tracer records).
  const runRecord = (record: SQSRecord) =>
    traceJob(record.attributes.AWSTraceHeader, async (named) => {
      const job = parseJob(record);
      named(job.type);
      await runOnce(job);
    });
  return (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    // With the invocation's deadline known, a job whose worker died mid-run is retried once that
    // deadline has passed, instead of waiting out the whole record expiry.
    idempotencyConfig.registerLambdaContext(context);
    return processPartialResponse(event, runRecord, processor, { context });
  };
}

/** The worker's ports from configuration: SES, and idempotency records in the app's own table. */
export function workerPortsFor(config: Config): WorkerPorts {
  const client = createDynamoDbClient({ region: config.region, endpoint: config.dynamodbEndpoint });
  return {
    mailer: new SesMailer(config.mailFrom, { region: config.region, endpoint: config.sesEndpoint }),
    counters: createDynamoDbTable(client, config.tableName, () => new Date()).counters,
    idempotency: new DynamoDBPersistenceLayer({
      tableName: config.tableName,
      awsSdkV3Client: client,
      keyAttr: TABLE_SCHEMA.partitionKey,
      sortKeyAttr: TABLE_SCHEMA.sortKey,
      staticPkValue: 'idempotency#jobs',
      expiryAttr: TABLE_SCHEMA.timeToLiveAttribute,
    }),
  };
}

let warm: ReturnType<typeof createWorkerHandler> | undefined;

/** The SQS-event Lambda handler of the growing stage's worker. */
export function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  warm ??= createWorkerHandler(workerPortsFor(loadConfig()));
  return warm(event, context);
}
