import type { JobQueue, Logger } from '../src/contracts/ports.js';
import type { LocalQueue } from '../src/entry/local-queue.js';
import type { Config } from '../src/platform/config.js';

/** Enqueues `count` distinct welcome-mail jobs, starts the worker, and times until the queue is empty. */
export async function workerThroughput(options: {
  queue: LocalQueue;
  jobs: JobQueue;
  config: Config;
  logger: Logger;
  count: number;
}): Promise<{ jobs: number; seconds: number; jobsPerSecond: number }> {
  for (let index = 0; index < options.count; index++) {
    await options.jobs.enqueue({
      type: 'send-welcome-email',
      userId: `bench-${index}`,
      email: `bench-${index}@example.com`,
      name: 'Bench',
    });
  }
  let processed = 0;
  const started = performance.now();
  options.queue.startWorker(options.config, options.logger, {
    onBatch: (outcome) => {
      processed += outcome.processed;
    },
  });
  const deadline = started + 120_000;
  while (processed < options.count && performance.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
  const seconds = (performance.now() - started) / 1000;
  return {
    jobs: processed,
    seconds: Number(seconds.toFixed(2)),
    jobsPerSecond: Math.round(processed / seconds),
  };
}
