import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Logger } from '../../contracts/ports.js';
import { TRACE_MESSAGE_ATTRIBUTE } from '../tracing.js';

export interface PollerOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly region: string;
  /** The same handler Lambda runs for the queue's event source mapping. */
  readonly handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
  readonly logger: Logger;
  /** Told how each batch went (for /metrics). */
  readonly onBatch?: (outcome: { processed: number; failed: number; retried: number }) => void;
  /** Long-poll wait; short keeps shutdown quick. */
  readonly waitSeconds?: number;
}

export interface Poller {
  /** Finishes the batch in hand, then stops. */
  stop(): Promise<void>;
}

/** An SQS message as Lambda's event source mapping hands it to the function. */
export function toSqsRecord(message: Message, queueArn: string, region: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  // SQS hands Lambda the system attribute; the local stand-in keeps only the message attribute.
  const traceHeader =
    attributes.AWSTraceHeader ?? message.MessageAttributes?.[TRACE_MESSAGE_ATTRIBUTE]?.StringValue;
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      ...(traceHeader ? { AWSTraceHeader: traceHeader } : {}),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

/** Deliveries after a message's first: what SQS's ApproximateReceiveCount says. */
function redeliveries(records: SQSRecord[]): number {
  return records.filter((record) => record.attributes.ApproximateReceiveCount !== '1').length;
}

/**
 * The local stand-in for Lambda's SQS event source mapping: long-polls batches of up to ten,
 * calls the worker handler with a real-shaped event, deletes what succeeded and leaves the
 * reported failures to reappear after the visibility timeout (and reach the DLQ after the
 * queue's maxReceiveCount).
 */
export function startSqsPoller(options: PollerOptions): Poller {
  let running = true;
  const loop = (async () => {
    while (running) {
      let records: SQSRecord[] = [];
      try {
        const { Messages = [] } = await options.client.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: options.waitSeconds ?? 1,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: [TRACE_MESSAGE_ATTRIBUTE],
          }),
        );
        if (Messages.length === 0) continue;
        records = Messages.map((message) => toSqsRecord(message, options.queueArn, options.region));
        const context = {
          awsRequestId: `local-${Date.now()}`,
          getRemainingTimeInMillis: () => 30_000,
        } as Context;
        const result = await options.handler({ Records: records }, context);
        const failed = new Set(result.batchItemFailures.map((failure) => failure.itemIdentifier));
        const done = records.filter((record) => !failed.has(record.messageId));
        options.onBatch?.({ processed: done.length, failed: failed.size, retried: redeliveries(records) });
        if (done.length > 0) {
          await options.client.send(
            new DeleteMessageBatchCommand({
              QueueUrl: options.queueUrl,
              Entries: done.map((record, index) => ({
                Id: String(index),
                ReceiptHandle: record.receiptHandle,
              })),
            }),
          );
        }
      } catch (error) {
        // A whole-batch failure (the handler threw, as Powertools does when every record failed)
        // leaves every message to reappear, as Lambda would.
        if (records.length > 0)
          options.onBatch?.({ processed: 0, failed: records.length, retried: redeliveries(records) });
        options.logger.error({ err: error }, 'local SQS poller batch failed');
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}
