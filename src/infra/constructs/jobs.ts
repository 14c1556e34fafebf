import { Duration, Validations } from 'aws-cdk-lib';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface JobsProps {
  readonly worker: IFunction;
  /** The worker's timeout: the queue's visibility timeout must exceed it. */
  readonly workerTimeout: Duration;
}

/** How many receives before a message moves to the dead-letter queue. */
export const MAX_RECEIVES = 3;

/**
 * The job queue with its dead-letter queue, consumed by the worker function in batches of up to
 * ten with partial batch failure reporting.
 */
export class Jobs extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: JobsProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This is the dead-letter queue; its messages are inspected and redriven by hand.',
    });
    this.queue = new Queue(this, 'Queue', {
      // AWS recommends at least six times the function timeout so retries of a batch do not
      // overlap: https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
      visibilityTimeout: Duration.seconds(props.workerTimeout.toSeconds() * 6),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVES },
    });
    props.worker.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        reportBatchItemFailures: true,
        maxBatchingWindow: Duration.seconds(1),
      }),
    );
  }

  /** Lets the API enqueue jobs. */
  grantEnqueue(grantee: IGrantable): void {
    this.queue.grantSendMessages(grantee);
  }
}
