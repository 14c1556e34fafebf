import type { JobMessage, JobQueue, Logger } from '../../contracts/ports.js';

/**
 * Startup-stage jobs: run inside the request that enqueues them, with no queue to pay for. A
 * failing job is logged and does not fail the request (the sign-up happened; the e-mail did not).
 */
export class InlineJobQueue implements JobQueue {
  readonly mode = 'inline';

  constructor(
    private readonly run: (job: JobMessage) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  async enqueue(job: JobMessage): Promise<void> {
    try {
      await this.run(job);
    } catch (error) {
      this.logger.error({ job: job.type, err: error }, 'inline job failed');
    }
  }
}
