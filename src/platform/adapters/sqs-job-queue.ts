import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { JobMessage, JobQueue } from '../ports.js';

/** An SQS client for AWS, or for the local stand-in (fauxqs) at `endpoint`. */
export function createSqsClient(options: { region: string; endpoint?: string | undefined }): SQSClient {
  return new SQSClient({
    region: options.region,
    ...(options.endpoint
      ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
}

/** Growing-stage jobs: the request only enqueues; the worker does the work. */
export class SqsJobQueue implements JobQueue {
  readonly mode = 'sqs';

  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(job: JobMessage): Promise<void> {
    await this.client.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(job) }),
    );
  }
}
