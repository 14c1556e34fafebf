import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { type Bill, BillBuilder } from '../bill.js';

const count = z.number().nonnegative();

export const LambdaUsageSchema = z.strictObject({
  service: z.literal('lambda'),
  requests: count,
  // AWS rounds each invocation up to 1 ms.
  durationMs: count.describe('average billed ms per request'),
  memoryMb: z.number().int().min(128).max(10240),
  architecture: z.enum(['x86_64', 'arm64']).default('x86_64'),
  ephemeralStorageMb: z.number().int().min(512).max(10240).default(512),
  freeTier: z.boolean().default(true),
  coldStarts: count.default(0).describe('invocations that start a new execution environment'),
  initMs: count.default(0).describe('average INIT phase per cold start, billed since 2025-08-01'),
  provisionedConcurrency: z
    .strictObject({
      concurrency: count,
      hours: count,
      requests: count.default(0),
      durationMs: count.default(0),
    })
    .optional(),
});
export type LambdaUsage = z.infer<typeof LambdaUsageSchema>;

// https://aws.amazon.com/lambda/pricing/ : 1M requests and 400,000 GB-seconds free each month;
// GB-seconds = memory (MB) / 1024 x duration (s); ephemeral storage above the free 512 MB is
// billed per GB-second too.
const FREE_REQUESTS = 1_000_000;
const FREE_GB_SECONDS = 400_000;

/** A month of one Lambda function. */
export function priceLambda(usage: LambdaUsage, region: string): Bill {
  const bill = new BillBuilder('lambda', region);
  const memoryGb = new Decimal(usage.memoryMb).div(1024);
  const seconds = new Decimal(usage.requests).times(usage.durationMs).div(1000);
  const free = usage.freeTier;
  bill.charge('lambda.requests', 'Requests', usage.requests, free ? { free: FREE_REQUESTS } : {});
  const durationGbSeconds = seconds.times(memoryGb);
  bill.charge(
    `lambda.duration.${usage.architecture}`,
    `Duration (${usage.architecture})`,
    durationGbSeconds,
    free ? { free: FREE_GB_SECONDS } : {},
  );
  if (usage.coldStarts > 0 && usage.initMs > 0) {
    // Since 1 August 2025 the INIT phase of on-demand functions (managed runtimes, .zip packages)
    // is billed as duration, at the same GB-second rate
    // (https://aws.amazon.com/blogs/compute/aws-lambda-standardizes-billing-for-init-phase/).
    // The free GB-seconds go to the invocations first; what is left covers INIT.
    const initGbSeconds = new Decimal(usage.coldStarts).times(usage.initMs).div(1000).times(memoryGb);
    const freeLeft = Decimal.max(new Decimal(FREE_GB_SECONDS).minus(durationGbSeconds), 0);
    bill.charge(
      `lambda.duration.${usage.architecture}`,
      `INIT phase of ${usage.coldStarts} cold starts (${usage.architecture})`,
      initGbSeconds,
      free && freeLeft.gt(0) ? { free: freeLeft } : {},
    );
  }
  if (usage.ephemeralStorageMb > 512) {
    const extraGb = new Decimal(usage.ephemeralStorageMb - 512).div(1024);
    bill.charge('lambda.ephemeralStorage', 'Ephemeral storage above 512 MB', seconds.times(extraGb));
  }
  const pc = usage.provisionedConcurrency;
  if (pc) {
    bill.charge(
      `lambda.provisioned.${usage.architecture}`,
      'Provisioned concurrency',
      new Decimal(pc.concurrency).times(memoryGb).times(pc.hours).times(3600),
    );
    bill.charge('lambda.requests', 'Requests on provisioned concurrency', pc.requests);
    bill.charge(
      `lambda.provisionedDuration.${usage.architecture}`,
      'Duration on provisioned concurrency',
      new Decimal(pc.requests).times(pc.durationMs).div(1000).times(memoryGb),
    );
  }
  return bill.build();
}
