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
  const tail = reportTail(limit);
  const since = `current_timestamp - ${INTERVALS[window]}`;
  return [
    'SELECT productid AS "productId",',
    "  count_if(type = 'view') AS views,",
    '  count_if(type = \'add_to_cart\') AS "addsToCart",',
    "  count_if(type = 'checkout') AS checkouts",
    `FROM "${events.database}"."${events.table}"`,
    `WHERE dt >= date_format(${since}, '%Y-%m-%d')`,
    `  AND from_iso8601_timestamp("at") >= ${since}`,
    ...tail,
  ].join('\n');
}

/**
 * The report's lines after its window predicate, the same in Athena's SQL and Redshift's: product
 * events only, grouped and ordered as the local stream consumer orders them. Checks `limit`.
 */
export function reportTail(limit: number): string[] {
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new RangeError('limit must be 1-100');
  return [
    `  AND productid IS NOT NULL AND productid <> '${SITE_WIDE}'`,
    "  AND type IN ('view', 'add_to_cart', 'checkout')",
    'GROUP BY productid',
    'ORDER BY views DESC, "addsToCart" DESC, checkouts DESC, productid',
    `LIMIT ${limit}`,
  ];
}
