import { z } from 'zod';
import { type Bill, BillBuilder } from '../bill.js';

const count = z.number().nonnegative();

export const XRayUsageSchema = z.strictObject({
  service: z.literal('xray'),
  tracesRecorded: count.default(0),
  tracesRetrieved: count.default(0),
  tracesScanned: count.default(0),
  insights: z.boolean().default(false).describe('Insights processes every recorded trace'),
  freeTier: z.boolean().default(true),
});
export type XRayUsage = z.infer<typeof XRayUsageSchema>;

// https://aws.amazon.com/xray/pricing/ : the first 100,000 traces recorded and the first
// 1,000,000 traces retrieved or scanned each month are free.
const FREE_RECORDED = 100_000;
const FREE_RETRIEVED_OR_SCANNED = 1_000_000;

/** A month of AWS X-Ray tracing. */
export function priceXRay(usage: XRayUsage, region: string): Bill {
  const bill = new BillBuilder('xray', region);
  const free = usage.freeTier;
  bill.charge('xray.recorded', 'Traces recorded', usage.tracesRecorded, free ? { free: FREE_RECORDED } : {});
  bill.charge(
    'xray.retrievedOrScanned',
    'Traces retrieved or scanned',
    usage.tracesRetrieved + usage.tracesScanned,
    free ? { free: FREE_RETRIEVED_OR_SCANNED } : {},
  );
  if (usage.insights) bill.charge('xray.insights', 'X-Ray Insights traces processed', usage.tracesRecorded);
  return bill.build();
}
