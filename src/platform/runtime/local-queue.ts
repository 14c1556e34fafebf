import { type FauxqsServer, startFauxqs } from 'fauxqs';
import { createSqsClient } from '../adapters/sqs-job-queue.js';
import type { Config } from '../config.js';
import type { Logger } from '../ports.js';
import { createWorkerHandler, workerPortsFor } from './lambda-worker.js';
import { type Poller, startSqsPoller } from './local-sqs-poller.js';

export interface LocalQueue {
  readonly endpoint: string;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
  /** Starts the poller that feeds the worker handler, configured as the worker Lambda would be. */
  startWorker(config: Config, logger: Logger): void;
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
  return {
    endpoint: server.address,
    queueUrl: queue.queueUrl,
    deadLetterQueueUrl: dlq.queueUrl,
    startWorker(config, logger) {
      poller = startSqsPoller({
        client: createSqsClient({ region: options.region, endpoint: server.address }),
        queueUrl: queue.queueUrl,
        queueArn: queue.queueArn,
        region: options.region,
        handler: createWorkerHandler(workerPortsFor(config)),
        logger,
      });
    },
    async stop() {
      await poller?.stop();
      await server.stop();
    },
  };
}
