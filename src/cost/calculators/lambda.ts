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
  bill.charge(
    `lambda.duration.${usage.architecture}`,
    `Duration (${usage.architecture})`,
    seconds.times(memoryGb),
    free ? { free: FREE_GB_SECONDS } : {},
  );
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
