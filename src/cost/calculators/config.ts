import { z } from 'zod';
import { type Bill, BillBuilder } from '../bill.js';

const count = z.number().nonnegative();

export const ConfigUsageSchema = z.strictObject({
  service: z.literal('config'),
  configurationItems: count.default(0).describe("one region's month, continuous recording"),
  ruleEvaluations: count.default(0).describe('one region: the tiers count per region'),
});

// https://aws.amazon.com/config/pricing/ : continuous recording per configuration item; rule
// evaluations tiered per region (first 100,000, the next 400,000, then the rest); no free tier.
export function priceConfig(usage: z.infer<typeof ConfigUsageSchema>, region: string): Bill {
  const bill = new BillBuilder('config', region);
  bill.note('One region: rule evaluation tiers count per region, so each region is priced on its own.');
  bill.note(
    'Snapshots and history files the delivery channel writes to S3 are billed as S3 and not priced here.',
  );
  bill.charge('config.configurationItems', 'Configuration items recorded', usage.configurationItems);
  bill.charge('config.ruleEvaluations', 'Rule evaluations', usage.ruleEvaluations);
  return bill.build();
}
