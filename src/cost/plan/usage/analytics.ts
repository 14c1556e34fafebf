import { EVENT_KB, GZIP_RATIO, gb, inPrimary, type StageMonth, type UsagePart } from './context.js';

/** Hours a day the analytics warehouse runs queries. */
const WAREHOUSE_HOURS_PER_DAY = 2;
/** The ops console's top-products report: both windows, every five minutes, all month. */
const REPORT_QUERIES = 2 * 12 * 24 * 30;

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
    // A query prunes to the days it needs (two at most) of compressed event files.
    const twoDays = gb(((traffic.analyticsEvents / 30) * 2 * EVENT_KB) / GZIP_RATIO);
    parts.push({
      service: 'athena',
      usage: { queries: REPORT_QUERIES, gbScannedPerQuery: twoDays },
      atZeroTraffic: { gbScannedPerQuery: 0 },
      ...inPrimary(inventory),
    });
  }
  for (const baseRpu of inventory.warehouses) {
    parts.push({
      service: 'redshift',
      usage: {
        rpuHours: baseRpu * WAREHOUSE_HOURS_PER_DAY * 30,
        baseRpu,
        storageGb: gb(traffic.analyticsEvents * EVENT_KB),
      },
      atZeroTraffic: { storageGb: 0 },
      ...inPrimary(inventory),
    });
  }
  return parts;
}
