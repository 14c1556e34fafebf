import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { JobMessage, JobQueue } from '../ports.js';
import { type AwsClientOptions, awsClientConfig } from './aws-client-config.js';

/** An SQS client for AWS, or for the local stand-in (fauxqs) at `endpoint`. */
export function createSqsClient(options: AwsClientOptions): SQSClient {
  return new SQSClient(awsClientConfig(options));
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
