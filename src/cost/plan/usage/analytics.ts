import { gbScannedPerQuery, REPORT_QUERIES, warehouseRpuHours } from '../analytics-engines.js';
import { EVENT_KB, gb, inPrimary, type StageMonth, type UsagePart } from './context.js';

/** The analytics events' stream and their delivery to S3. */
export function eventStreamParts({ inventory, traffic }: StageMonth): UsagePart[] {
  const parts: UsagePart[] = [];
  if (inventory.streams > 0) {
    parts.push({
      service: 'kinesis',
      usage: {
        mode: 'on-demand',
        streams: inventory.streams,
        records: Math.round(traffic.analyticsEvents),
        recordKb: EVENT_KB,
      },
      atZeroTraffic: { records: 0 },
      ...inPrimary(inventory),
    });
  }
  if (inventory.deliveryStreams > 0) {
    parts.push({
      service: 'firehose',
      usage: { records: Math.round(traffic.analyticsEvents), recordKb: EVENT_KB },
      ...inPrimary(inventory),
    });
  }
  return parts;
}

/** The reports over the delivered events: Athena queries, or a Redshift Serverless warehouse. */
export function reportParts({ inventory, traffic }: StageMonth): UsagePart[] {
  const parts: UsagePart[] = [];
  if (inventory.queryWorkgroups > 0) {
    parts.push({
      service: 'athena',
      usage: { queries: REPORT_QUERIES, gbScannedPerQuery: gbScannedPerQuery(traffic.analyticsEvents) },
      atZeroTraffic: { gbScannedPerQuery: 0 },
      ...inPrimary(inventory),
    });
  }
  for (const baseRpu of inventory.warehouses) {
    parts.push({
      service: 'redshift',
      usage: {
        rpuHours: warehouseRpuHours(baseRpu),
        baseRpu,
        storageGb: gb(traffic.analyticsEvents * EVENT_KB),
      },
      atZeroTraffic: { storageGb: 0 },
      ...inPrimary(inventory),
    });
  }
  return parts;
}
