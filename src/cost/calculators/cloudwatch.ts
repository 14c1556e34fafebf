import { z } from 'zod';
import { type Bill, BillBuilder } from '../bill.js';

const count = z.number().nonnegative();

export const CloudWatchUsageSchema = z.strictObject({
  service: z.literal('cloudwatch'),
  logsIngestedGb: count.default(0),
  logsStoredGb: count.default(0),
  logsInsightsScannedGb: count.default(0),
  customMetrics: count.default(0),
  alarms: count.default(0).describe('alarm metrics'),
  highResolutionAlarms: count.default(0),
  dashboards: count.default(0),
  metricApiRequests: count.default(0),
  freeTier: z.boolean().default(true),
});

// https://aws.amazon.com/cloudwatch/pricing/ : free each month 10 metrics, 10 alarm metrics, 3
// dashboards, 5 GB of log data (ingested, stored and scanned) and 1M API requests. Alarms bill per
// metric they read.
export function priceCloudWatch(usage: z.infer<typeof CloudWatchUsageSchema>, region: string): Bill {
  const bill = new BillBuilder('cloudwatch', region);
  const free = usage.freeTier;
  const f = (amount: number) => (free ? { free: amount } : {});
  // The 5 GB of free log data covers ingestion, storage and scans together: it is applied to
  // ingestion, the largest of the three.
  bill.charge('cloudwatch.logsIngested', 'Logs ingested', usage.logsIngestedGb, f(5));
  bill.charge('cloudwatch.logsStored', 'Logs stored', usage.logsStoredGb);
  if (usage.logsInsightsScannedGb > 0)
    bill.charge('cloudwatch.logsInsights', 'Logs Insights scanned', usage.logsInsightsScannedGb);
  bill.charge('cloudwatch.metrics', 'Custom metrics', usage.customMetrics, f(10));
  bill.charge('cloudwatch.alarms', 'Alarm metrics', usage.alarms, f(10));
  if (usage.highResolutionAlarms > 0)
    bill.charge(
      'cloudwatch.highResolutionAlarms',
      'High-resolution alarm metrics',
      usage.highResolutionAlarms,
    );
  bill.charge('cloudwatch.dashboards', 'Dashboards', usage.dashboards, f(3));
  if (usage.metricApiRequests > 0)
    bill.charge('cloudwatch.api', 'Metric API requests', usage.metricApiRequests, f(1_000_000));
  return bill.build();
}
