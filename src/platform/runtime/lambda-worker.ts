import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type Job, JobSchema, runJob } from '../../app/jobs/jobs.js';
import { SesMailer } from '../adapters/ses-mailer.js';
import { type Config, loadConfig } from '../config.js';
import type { Mailer } from '../ports.js';

/** Parses one message body; a malformed one throws, so it is retried and then dead-lettered alone. */
export function parseJob(record: SQSRecord): Job {
  return JobSchema.parse(JSON.parse(record.body));
}

/**
 * Builds an SQS handler that runs each message's job and reports only the failed messages
 * (`batchItemFailures`), so one bad message does not make SQS redeliver the whole batch.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting
 */
export function createWorkerHandler(ports: { readonly mailer: Mailer }) {
  const processor = new BatchProcessor(EventType.SQS);
  return (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    processPartialResponse(event, (record: SQSRecord) => runJob(parseJob(record), ports), processor, {
      context,
    });
}

function portsFor(config: Config): { mailer: Mailer } {
  return { mailer: new SesMailer(config.mailFrom, { region: config.region, endpoint: config.sesEndpoint }) };
}

let warm: ReturnType<typeof createWorkerHandler> | undefined;

/** The SQS-event Lambda handler of the growing stage's worker. */
export function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  warm ??= createWorkerHandler(portsFor(loadConfig()));
  return warm(event, context);
}
