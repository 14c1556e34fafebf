import { priceUsage } from '../price.js';
import { money } from './money.js';
import { EVENT_KB, GZIP_RATIO, gb } from './usage/context.js';

/** The ops console's top-products report: both windows, every five minutes, all month. */
export const REPORT_SLOTS = 12 * 24 * 30;
export const REPORT_QUERIES = 2 * REPORT_SLOTS;
/** The smallest base capacity a Redshift Serverless workgroup can have in most regions. */
export const WAREHOUSE_BASE_RPU = 8;

/** GB one report query scans: it prunes to the days it needs, two at most, of compressed events. */
export function gbScannedPerQuery(eventsPerMonth: number): number {
  return gb(((eventsPerMonth / 30) * 2 * EVENT_KB) / GZIP_RATIO);
}

/**
 * RPU-hours of a Redshift Serverless workgroup answering the report over the same files through
 * an external (Spectrum) schema: each five-minute slot's two queries run together and are billed
 * for at least 60 s at the base capacity. Data-lake queries bill in RPU-hours, with no per-TB fee.
 */
export function warehouseRpuHours(baseRpu = WAREHOUSE_BASE_RPU): number {
  return (REPORT_SLOTS * baseRpu) / 60;
}

export interface EngineComparison {
  readonly athenaUsd: number;
  readonly redshiftUsd: number;
  /** Events a month from which Redshift Serverless costs less than Athena; null when not found. */
  readonly crossoverEvents: number | null;
  readonly note: string;
}

/**
 * Athena against Redshift Serverless for the month's analytics events and the report's queries,
 * priced in one region. Athena's cost grows with the events each query scans; the warehouse's
 * is the minimum it bills per query slot, whatever it reads.
 */
export function compareAnalyticsEngines(eventsPerMonth: number, region: string): EngineComparison | null {
  const athena = (events: number) =>
    priceUsage(
      { service: 'athena', queries: REPORT_QUERIES, gbScannedPerQuery: gbScannedPerQuery(events) },
      region,
    );
  const redshift = priceUsage(
    { service: 'redshift', rpuHours: warehouseRpuHours(), baseRpu: WAREHOUSE_BASE_RPU },
    region,
  );
  const now = athena(eventsPerMonth);
  // A price the list does not have for this region leaves the comparison out, never at zero.
  if (now.lines.length === 0 || redshift.lines.length === 0) return null;
  let low = 0;
  let high = 1e15;
  if (athena(high).totalUsd < redshift.totalUsd) high = Number.NaN;
  for (let step = 0; step < 200 && Number.isFinite(high) && high - low > 1; step++) {
    const mid = (low + high) / 2;
    if (athena(mid).totalUsd < redshift.totalUsd) low = mid;
    else high = mid;
  }
  const crossover = Number.isFinite(high) ? Math.round(high) : null;
  const winner = now.totalUsd <= redshift.totalUsd ? 'Athena' : 'Redshift Serverless';
  const where =
    crossover === null
      ? 'Athena stays cheaper at any volume'
      : `Redshift Serverless becomes the cheaper engine from about ${crossover.toLocaleString('en-US')} events a month (${gbScannedPerQuery(crossover).toFixed(1)} GB a query)`;
  return {
    athenaUsd: now.totalUsd,
    redshiftUsd: redshift.totalUsd,
    crossoverEvents: crossover,
    note: `analytics engines for the report (${REPORT_QUERIES.toLocaleString('en-US')} queries a month over ${Math.round(eventsPerMonth).toLocaleString('en-US')} events): Athena ${money(now.totalUsd)}, Redshift Serverless at ${WAREHOUSE_BASE_RPU} RPUs ${money(redshift.totalUsd)} (60 s billed for each five-minute slot); ${winner} wins here; ${where}`,
  };
}
