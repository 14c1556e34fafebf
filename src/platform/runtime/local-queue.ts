import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import { PrometheusMetrics } from '../adapters/prometheus-metrics.js';
import { createSqsClient } from '../adapters/sqs-job-queue.js';
import type { Config } from '../config.js';
import type { Logger } from '../ports.js';
import { createWorkerHandler, workerPortsFor } from './lambda-worker.js';
import { type Poller, type PollerOptions, startSqsPoller } from './local-sqs-poller.js';

export interface LocalQueue {
  readonly endpoint: string;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
  /** Starts the poller that feeds the worker handler, configured as the worker Lambda would be. */
  startWorker(config: Config, logger: Logger, onBatch?: PollerOptions['onBatch']): void;
  /** Messages waiting in the queue and in its dead-letter queue. */
  depths(): Promise<{ queue: number; deadLetters: number }>;
  stop(): Promise<void>;
}

/** Same as the CDK queue: three receives, then the dead-letter queue. */
const MAX_RECEIVES = '3';

/**
 * The growing stage's queue on one machine: fauxqs (in memory) with a job queue and its DLQ, and
 * a poller standing in for Lambda's event source mapping.
 */
export async function startLocalQueue(options: {
  region: string;
  visibilityTimeoutSeconds?: number;
}): Promise<LocalQueue> {
  const server: FauxqsServer = await startFauxqs({
    port: 0,
    logger: false,
    host: '127.0.0.1',
    defaultRegion: options.region,
  });
  const dlq = server.createQueue('growstack-jobs-dlq', { region: options.region });
  const queue = server.createQueue('growstack-jobs', {
    region: options.region,
    attributes: {
      VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? 30),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount: MAX_RECEIVES }),
    },
  });
  let poller: Poller | undefined;
  const client = createSqsClient({ region: options.region, endpoint: server.address });
  return {
    endpoint: server.address,
    queueUrl: queue.queueUrl,
    deadLetterQueueUrl: dlq.queueUrl,
    async depths() {
      const count = (url: string) =>
        client.send(
          new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
        );
      const [queueAttributes, deadAttributes] = await Promise.all([
        count(queue.queueUrl),
        count(dlq.queueUrl),
      ]);
      return {
        queue: Number(queueAttributes.Attributes?.ApproximateNumberOfMessages ?? 0),
        deadLetters: Number(deadAttributes.Attributes?.ApproximateNumberOfMessages ?? 0),
      };
    },
    startWorker(config, logger, onBatch) {
      poller = startSqsPoller({
        client,
        queueUrl: queue.queueUrl,
        queueArn: queue.queueArn,
        region: options.region,
        handler: createWorkerHandler(workerPortsFor(config)),
        logger,
        ...(onBatch ? { onBatch } : {}),
      });
    },
    async stop() {
      await poller?.stop();
      await server.stop();
    },
  };
}

/** Starts the worker and reports its batches and the queue depths to the app's Prometheus metrics. */
export function startObservedWorker(
  queue: LocalQueue,
  config: Config,
  runtime: { readonly metrics: object; readonly ports: { readonly logger: Logger } },
): void {
  const metrics = runtime.metrics instanceof PrometheusMetrics ? runtime.metrics : undefined;
  metrics?.watchQueues(() => queue.depths());
  queue.startWorker(config, runtime.ports.logger, (outcome) => {
    metrics?.jobCounters.processed(outcome.processed);
    metrics?.jobCounters.failed(outcome.failed);
    metrics?.jobCounters.retried(outcome.retried);
  });
}
