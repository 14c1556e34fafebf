import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import type { Logger } from '../contracts/ports.js';
import { PrometheusMetrics } from '../platform/adapters/prometheus-metrics.js';
import { createSqsClient } from '../platform/adapters/sqs-job-queue.js';
import type { Config } from '../platform/config.js';
import { type Poller, type PollerOptions, startSqsPoller } from '../platform/runtime/local-sqs-poller.js';
import { createWorkerHandler, type WorkerPorts, workerPortsFor } from './lambda-worker.js';

export interface LocalQueue {
  readonly endpoint: string;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly deadLetterQueueUrl: string;
  /**
   * Starts the poller that feeds the worker handler, configured as the worker Lambda would be.
   * `ports` replaces the worker's ports from configuration (tests inject a failing mailer).
   */
  startWorker(config: Config, logger: Logger, options?: WorkerOptions): void;
  /** Messages waiting in the queue and in its dead-letter queue. */
  depths(): Promise<{ queue: number; deadLetters: number }>;
  /** Stops the worker, and the stand-in too when this queue started it. */
  stop(): Promise<void>;
}

export interface WorkerOptions {
  readonly onBatch?: PollerOptions['onBatch'];
  readonly ports?: WorkerPorts;
}

export interface LocalQueueOptions {
  readonly region: string;
  readonly visibilityTimeoutSeconds?: number;
  /** Queue name; the DLQ is this plus `-dlq`. Distinct names share one stand-in. */
  readonly name?: string;
}

/** Same as the CDK queue: three receives, then the dead-letter queue. */
const MAX_RECEIVES = 3;

/** Starts fauxqs (SQS in memory) in this process on a free 127.0.0.1 port. */
export async function startFauxqsServer(
  region: string,
): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const server: FauxqsServer = await startFauxqs({
    port: 0,
    logger: false,
    host: '127.0.0.1',
    defaultRegion: region,
  });
  return { endpoint: server.address, stop: () => server.stop() };
}

/**
 * The growing stage's queue on one machine: fauxqs (in memory) with a job queue and its DLQ, and
 * a poller standing in for Lambda's event source mapping.
 */
export async function startLocalQueue(options: LocalQueueOptions): Promise<LocalQueue> {
  const server = await startFauxqsServer(options.region);
  try {
    return await connectLocalQueue(server.endpoint, options, server.stop);
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/**
 * Creates the job queue and its DLQ through the SQS API on a running stand-in (so a test run can
 * share one fauxqs between files), redriving after three receives like the CDK queue.
 */
export async function connectLocalQueue(
  endpoint: string,
  options: LocalQueueOptions,
  stopServer: () => Promise<void> = async () => {},
): Promise<LocalQueue> {
  const client = createSqsClient({ region: options.region, endpoint });
  const name = options.name ?? 'growstack-jobs';
  const dlq = await client.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  const dlqUrl = dlq.QueueUrl as string;
  const dlqArn = await queueArn(client, dlqUrl);
  const created = await client.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? 30),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: MAX_RECEIVES }),
      },
    }),
  );
  const queueUrl = created.QueueUrl as string;
  const arn = await queueArn(client, queueUrl);
  let poller: Poller | undefined;
  const count = async (url: string) => {
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return (
      Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
    );
  };
  return {
    endpoint,
    queueUrl,
    queueArn: arn,
    deadLetterQueueUrl: dlqUrl,
    async depths() {
      const [queue, deadLetters] = await Promise.all([count(queueUrl), count(dlqUrl)]);
      return { queue, deadLetters };
    },
    startWorker(config, logger, workerOptions = {}) {
      poller = startSqsPoller({
        client,
        queueUrl,
        queueArn: arn,
        region: options.region,
        handler: createWorkerHandler(workerOptions.ports ?? workerPortsFor(config)),
        logger,
        ...(workerOptions.onBatch ? { onBatch: workerOptions.onBatch } : {}),
      });
    },
    async stop() {
      await poller?.stop();
      client.destroy();
      await stopServer();
    },
  };
}

async function queueArn(client: SQSClient, queueUrl: string): Promise<string> {
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  if (!Attributes?.QueueArn) throw new Error(`the SQS stand-in gave no ARN for ${queueUrl}`);
  return Attributes.QueueArn;
}

/** Starts the worker and reports its batches and the queue depths to the app's Prometheus metrics. */
export function startObservedWorker(
  queue: LocalQueue,
  config: Config,
  runtime: { readonly metrics: object; readonly ports: { readonly logger: Logger } },
  ports?: WorkerPorts,
): void {
  const metrics = runtime.metrics instanceof PrometheusMetrics ? runtime.metrics : undefined;
  metrics?.watchQueues(() => queue.depths());
  queue.startWorker(config, runtime.ports.logger, {
    ...(ports ? { ports } : {}),
    onBatch: (outcome) => {
      metrics?.jobCounters.processed(outcome.processed);
      metrics?.jobCounters.failed(outcome.failed);
      metrics?.jobCounters.retried(outcome.retried);
    },
  });
}
