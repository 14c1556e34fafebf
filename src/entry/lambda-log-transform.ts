import { gunzipSync } from 'node:zlib';
import {
  FirehoseClient,
  PutRecordBatchCommand,
  type PutRecordBatchCommandOutput,
} from '@aws-sdk/client-firehose';
import type {
  CloudWatchLogsDecodedData,
  FirehoseTransformationEvent,
  FirehoseTransformationResult,
  FirehoseTransformationResultRecord,
} from 'aws-lambda';
import type { Logger } from '../contracts/ports.js';
import { createPinoLogger } from '../platform/adapters/pino-logger.js';
import { logDocument } from '../platform/runtime/log-documents.js';

/**
 * Marks a document this transform put back into the stream; it is taken off when the document
 * comes through again, so it never reaches the index.
 */
export const REINGESTED_MARKER = '@reingested';

/**
 * Lambda's limit on a synchronous response is 6 MB; a transform answering more fails the whole
 * batch. https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
export const MAX_RESPONSE_BYTES = 6_000_000;

/**
 * PutRecordBatch takes at most 500 records and 4 MB a call (records up to 1,000 KiB each).
 * The data travels base64-encoded, a third bigger, so a call carries at most 3 MB of it.
 * https://docs.aws.amazon.com/firehose/latest/APIReference/API_PutRecordBatch.html
 */
export const MAX_BATCH_RECORDS = 500;
export const MAX_BATCH_BYTES = 3_000_000;

/** The one Firehose call the transform makes: putting documents back into its stream. */
export interface FirehoseBatchClient {
  send(command: PutRecordBatchCommand): Promise<Pick<PutRecordBatchCommandOutput, 'RequestResponses'>>;
}

export interface TransformOptions {
  readonly firehose: FirehoseBatchClient;
  /** The region the log groups (and this function) are in. */
  readonly region: string;
  readonly logger: Logger;
  /** Calls per document before its record is given up on; 3 unless a test says. */
  readonly attempts?: number;
  /** Waits between attempts (a test passes none). */
  readonly pause?: (attempt: number) => Promise<void>;
}

const GZIP_MAGIC = [0x1f, 0x8b] as const;

type Result = FirehoseTransformationResultRecord['result'];

interface Outcome {
  readonly recordId: string;
  result: Result;
  /** What goes back as the record's own output (Ok). */
  output?: Buffer;
  /** Documents that go back into the stream to arrive as records of their own. */
  readonly reingest: Buffer[];
}

const encode = (document: object): Buffer => Buffer.from(JSON.stringify(document));

/** What one incoming record becomes, before the response size is known. */
function outcomeOf(recordId: string, data: Buffer, region: string, logger: Logger): Outcome {
  const failed: Outcome = { recordId, result: 'ProcessingFailed', reingest: [] };
  if (data[0] === GZIP_MAGIC[0] && data[1] === GZIP_MAGIC[1]) {
    let payload: CloudWatchLogsDecodedData;
    try {
      payload = JSON.parse(gunzipSync(data).toString('utf8')) as CloudWatchLogsDecodedData;
    } catch (error) {
      logger.warn({ recordId, err: error }, 'unreadable log subscription record; sent to the backup');
      return failed;
    }
    // CloudWatch Logs checks that it can reach the stream with a control message: not a log line.
    if (payload.messageType !== 'DATA_MESSAGE') return { recordId, result: 'Dropped', reingest: [] };
    const source = { region, logGroup: payload.logGroup, logStream: payload.logStream };
    const [first, ...rest] = (payload.logEvents ?? []).map((event) => logDocument(source, event));
    if (!first) return { recordId, result: 'Dropped', reingest: [] };
    return {
      recordId,
      result: 'Ok',
      output: encode(first),
      reingest: rest.map((document) => encode({ ...document, [REINGESTED_MARKER]: true })),
    };
  }
  // Not gzip: one of our own documents coming back, or something nobody should have put here.
  let document: Record<string, unknown> | undefined;
  try {
    document = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
  } catch {
    document = undefined;
  }
  if (typeof document !== 'object' || document === null || document[REINGESTED_MARKER] !== true) {
    logger.warn({ recordId }, 'record is neither a log subscription record nor a reingested document');
    return failed;
  }
  const { [REINGESTED_MARKER]: _marker, ...plain } = document;
  return { recordId, result: 'Ok', output: encode(plain), reingest: [] };
}

/** Bytes a record adds to the response JSON: its id and base64 data, and the keys around them. */
const responseBytes = (outcome: Outcome) =>
  outcome.recordId.length + Math.ceil(((outcome.output?.length ?? 0) * 4) / 3) + 64;

interface Pending {
  readonly recordId: string;
  readonly data: Buffer;
}

/** Splits documents into PutRecordBatch calls within its record and size limits. */
export function batchesOf(pending: readonly Pending[]): Pending[][] {
  const batches: Pending[][] = [];
  let batch: Pending[] = [];
  let bytes = 0;
  for (const item of pending) {
    if (
      batch.length === MAX_BATCH_RECORDS ||
      (batch.length > 0 && bytes + item.data.length > MAX_BATCH_BYTES)
    ) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(item);
    bytes += item.data.length;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/**
 * Puts documents back into the stream, retrying those Firehose refused (a throttled call, a
 * record-level error) a few times; returns the records some of whose documents never got in.
 */
async function reingest(
  streamName: string,
  pending: readonly Pending[],
  options: TransformOptions,
): Promise<Set<string>> {
  const attempts = options.attempts ?? 3;
  const pause =
    options.pause ?? ((attempt: number) => new Promise((done) => setTimeout(done, 100 * 2 ** attempt)));
  let left = [...pending];
  for (let attempt = 1; attempt <= attempts && left.length > 0; attempt++) {
    if (attempt > 1) await pause(attempt);
    const refused: Pending[] = [];
    for (const batch of batchesOf(left)) {
      try {
        const response = await options.firehose.send(
          new PutRecordBatchCommand({
            DeliveryStreamName: streamName,
            Records: batch.map((item) => ({ Data: item.data })),
          }),
        );
        // Each answer sits at its record's position; one with an error code was not taken.
        batch.forEach((item, position) => {
          if (response.RequestResponses?.[position]?.ErrorCode) refused.push(item);
        });
      } catch (error) {
        options.logger.warn({ err: error, records: batch.length, attempt }, 'reingest call failed');
        refused.push(...batch);
      }
    }
    left = refused;
  }
  if (left.length > 0)
    options.logger.error(
      { documents: left.length, attempts },
      'could not put documents back into the stream; their records go to the backup bucket',
    );
  return new Set(left.map((item) => item.recordId));
}

/**
 * The Firehose data transformation for the log store. An OpenSearch destination indexes each
 * record as one document, but a CloudWatch Logs subscription record carries a batch of log
 * events, gzip'd. So each record answers with its first event as a document and puts the others
 * back into the same stream as documents of their own, which pass through when they return (the
 * reingest pattern of AWS's CloudWatch Logs processor blueprint). A record whose documents cannot
 * all be put back fails, and Firehose writes it to the backup bucket whole: no line is lost, though
 * lines that did get back in are then indexed and in the backup too.
 * https://docs.aws.amazon.com/firehose/latest/dev/data-transformation-status-model.html
 */
export async function transformRecords(
  event: FirehoseTransformationEvent,
  options: TransformOptions,
): Promise<FirehoseTransformationResult> {
  const outcomes = event.records.map((record) =>
    outcomeOf(record.recordId, Buffer.from(record.data, 'base64'), options.region, options.logger),
  );
  const originals = new Map(event.records.map((record) => [record.recordId, record.data]));
  // What would make the response too big goes back into the stream too, and its record is dropped.
  // Room is kept for every record to come back failed, with its original data.
  let bytes = 32 + event.records.reduce((sum, record) => sum + record.data.length, 0);
  for (const outcome of outcomes) {
    if (!outcome.output) continue;
    const size = responseBytes(outcome);
    if (bytes + size <= MAX_RESPONSE_BYTES) {
      bytes += size;
      continue;
    }
    outcome.reingest.unshift(withMarker(outcome.output));
    outcome.output = undefined;
    outcome.result = 'Dropped';
  }
  const pending = outcomes.flatMap((outcome) =>
    outcome.reingest.map((data) => ({ recordId: outcome.recordId, data })),
  );
  const streamName = event.deliveryStreamArn.split('/').pop() ?? '';
  const lost = pending.length > 0 ? await reingest(streamName, pending, options) : new Set<string>();
  return {
    records: outcomes.map((outcome): FirehoseTransformationResultRecord => {
      if (lost.has(outcome.recordId) || outcome.result === 'ProcessingFailed') {
        // The original bytes: what the backup keeps is what CloudWatch Logs sent.
        return {
          recordId: outcome.recordId,
          result: 'ProcessingFailed',
          data: originals.get(outcome.recordId) ?? '',
        };
      }
      return {
        recordId: outcome.recordId,
        result: outcome.result,
        data: outcome.output?.toString('base64') ?? '',
      };
    }),
  };
}

/** A document as it goes back into the stream: marked, so it passes through when it returns. */
function withMarker(document: Buffer): Buffer {
  return encode({ ...(JSON.parse(document.toString('utf8')) as object), [REINGESTED_MARKER]: true });
}

const logger = createPinoLogger(process.env.LOG_LEVEL ?? 'info', { function: 'log-transform' });
let firehose: FirehoseClient | undefined;

/** The Lambda handler: Firehose's transformation of CloudWatch Logs records into log documents. */
export async function handler(event: FirehoseTransformationEvent): Promise<FirehoseTransformationResult> {
  firehose ??= new FirehoseClient({ region: event.region });
  return transformRecords(event, { firehose, region: process.env.AWS_REGION ?? event.region, logger });
}
