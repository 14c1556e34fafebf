import { z } from 'zod';
import { type Bill, BillBuilder } from '../bill.js';

const count = z.number().nonnegative();

export const PrometheusUsageSchema = z.strictObject({
  service: z.literal('prometheus'),
  samplesIngested: count.describe('metric samples written a month'),
  storedGb: count.default(0).describe('GB held on average over the month (150 days are kept)'),
  querySamples: count.default(0).describe('samples processed by queries and rule evaluations'),
  freeTier: z.boolean().default(true),
});
export type PrometheusUsage = z.infer<typeof PrometheusUsageSchema>;

/**
 * A month of Amazon Managed Service for Prometheus: samples ingested (tiered), storage per
 * GB-month (samples take 1 or 2 bytes plus metadata), and query samples processed, rule
 * evaluations included. Free tier: 40M samples ingested, 10 GB stored and 200B query samples a
 * month. https://aws.amazon.com/prometheus/pricing/
 */
export function pricePrometheus(usage: PrometheusUsage, region: string): Bill {
  const bill = new BillBuilder('prometheus', region);
  const free = usage.freeTier;
  bill.charge('aps.ingested', 'Metric samples ingested', usage.samplesIngested, free ? { free: 40e6 } : {});
  bill.charge('aps.stored', 'Metrics stored', usage.storedGb, free ? { free: 10 } : {});
  bill.charge('aps.querySamples', 'Query samples processed', usage.querySamples, free ? { free: 200e9 } : {});
  return bill.build();
}
