import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { type Bill, BillBuilder } from '../bill.js';

const count = z.number().nonnegative();

export const LambdaEdgeUsageSchema = z.strictObject({
  service: z.literal('lambdaedge'),
  requests: count,
  durationMs: count.describe('average billed ms per request (each rounded up to 1 ms)'),
  memoryMb: z.number().int().min(128).max(10240).default(128),
});
export type LambdaEdgeUsage = z.infer<typeof LambdaEdgeUsageSchema>;

/**
 * A month of one Lambda@Edge function, at Lambda@Edge's own rates rather than Lambda's: per
 * request and per GB-second (memory MB / 1024 x billed seconds), with no free tier
 * (https://aws.amazon.com/lambda/pricing/, Lambda@Edge; billed per 1 ms since April 2021,
 * https://aws.amazon.com/about-aws/whats-new/2021/03/cloudfront-lambda-at-edge-billing-granularity/).
 * The catalog keeps the two rates under CloudFront's keys, as the CloudFront calculator's
 * `lambdaEdge*` fields price them too.
 */
export function priceLambdaEdge(usage: LambdaEdgeUsage, region: string): Bill {
  const bill = new BillBuilder('lambdaedge', region);
  bill.note('Lambda@Edge has no free tier; its duration is billed per 1 ms at its own rate.');
  bill.charge('cloudfront.lambdaEdgeRequests', 'Lambda@Edge requests', usage.requests);
  const gbSeconds = new Decimal(usage.requests)
    .times(usage.durationMs)
    .div(1000)
    .times(new Decimal(usage.memoryMb).div(1024));
  bill.charge('cloudfront.lambdaEdgeDuration', 'Lambda@Edge duration', gbSeconds);
  return bill.build();
}
