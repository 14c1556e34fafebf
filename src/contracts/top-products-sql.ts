import { type ReportWindow, SITE_WIDE } from './ports.js';

/** Where Firehose's files are described for Athena (Glue Data Catalog). */
export interface EventsTable {
  readonly database: string;
  readonly table: string;
}

const INTERVALS: Record<ReportWindow, string> = { hour: "interval '1' hour", day: "interval '1' day" };

/**
 * "Top products in the last hour / day" as Athena SQL over the events Firehose delivers to S3:
 * the same counts and the same order as the local stream consumer (TopProducts). The `dt`
 * predicate prunes partitions (partition projection, no crawler); the `at` predicate is the exact
 * window, since Firehose files an event by its arrival time.
 */
export function topProductsSql(window: ReportWindow, events: EventsTable, limit = 10): string {
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new RangeError('limit must be 1-100');
  const since = `current_timestamp - ${INTERVALS[window]}`;
  return [
    'SELECT productid AS "productId",',
    "  count_if(type = 'view') AS views,",
    '  count_if(type = \'add_to_cart\') AS "addsToCart",',
    "  count_if(type = 'checkout') AS checkouts",
    `FROM "${events.database}"."${events.table}"`,
    `WHERE dt >= date_format(${since}, '%Y-%m-%d')`,
    `  AND from_iso8601_timestamp("at") >= ${since}`,
    `  AND productid IS NOT NULL AND productid <> '${SITE_WIDE}'`,
    "  AND type IN ('view', 'add_to_cart', 'checkout')",
    'GROUP BY productid',
    'ORDER BY views DESC, "addsToCart" DESC, checkouts DESC, productid',
    `LIMIT ${limit}`,
  ].join('\n');
}
