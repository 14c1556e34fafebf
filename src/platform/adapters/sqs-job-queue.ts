import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { JobMessage, JobQueue } from '../../contracts/ports.js';
import { requestContext } from '../request-context.js';
import { outgoingTraceHeader, TRACE_MESSAGE_ATTRIBUTE, traceAwsClient } from '../tracing.js';
import { type AwsClientOptions, awsClientConfig } from './aws-client-config.js';

/** An SQS client for AWS, or for the local stand-in (fauxqs) at `endpoint`. */
export function createSqsClient(options: AwsClientOptions): SQSClient {
  return traceAwsClient(new SQSClient(awsClientConfig(options)), options.region);
}

/**
 * Growing-stage jobs: the request only enqueues; the worker does the work.
 *
 * Jobs are enqueued after the change they follow is committed (the account, the order), so a
 * queue that is down once the SDK's retries are spent must not turn a committed change into an
 * error the client would retry: like the inline queue, the failure goes to `onFailure` (logged
 * by its type, without the addresses and names it carries, and counted) and the request succeeds. The job itself is lost; a
 * transactional outbox would keep it.
 */
export class SqsJobQueue implements JobQueue {
  readonly mode = 'sqs';

  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    private readonly onFailure?: (job: JobMessage, error: unknown) => void,
  ) {}

  async enqueue(job: JobMessage): Promise<void> {
    try {
      // The request's X-Ray trace goes on with the job, so the worker's segment joins it: under
      // the request's span where this process traces (the container), else as it came in.
      const traceHeader = outgoingTraceHeader() ?? requestContext.getStore()?.traceHeader;
      await this.client.send(
        new SendMessageCommand({
          QueueUrl: this.queueUrl,
          MessageBody: JSON.stringify(job),
          ...(traceHeader
            ? {
                MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: traceHeader } },
                // The same header as a message attribute: the local stand-in (fauxqs) drops the
                // system attribute, and the local worker links its job trace through this one.
                MessageAttributes: {
                  [TRACE_MESSAGE_ATTRIBUTE]: { DataType: 'String', StringValue: traceHeader },
                },
              }
            : {}),
        }),
      );
    } catch (error) {
      if (!this.onFailure) throw error;
      this.onFailure(job, error);
    }
  }
}
