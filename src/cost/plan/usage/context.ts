import type { Inventory } from '../inventory.js';
import type { Traffic, UsageProfile } from '../profile.js';

/**
 * One service's usage document for `priceUsage`, and the same document at zero traffic: what is
 * left of its bill then is the fixed cost the stage pays whether or not anybody visits.
 */
export interface UsagePart {
  readonly service: string;
  readonly usage: Record<string, unknown>;
  /** Field overrides that take the traffic out (omitted: the whole part is usage-driven). */
  readonly atZeroTraffic?: Record<string, unknown>;
  /** Omitted for parts that cost nothing at zero traffic by construction. */
  readonly fixedOnly?: boolean;
  /** The one region the part's resources sit in (omitted: shared evenly by the stage's regions). */
  readonly region?: string;
  /** An estimate the part rests on that the profile does not hold, printed with the plan. */
  readonly assumption?: string;
  /** What a part of a service without a calculator covers, named in its "not priced" line. */
  readonly item?: string;
}

/** A stage's month as every service family reads it: what it deploys, and the traffic routed through it. */
export interface StageMonth {
  readonly inventory: Inventory;
  readonly traffic: Traffic;
  readonly profile: UsageProfile;
  readonly regions: number;
  /** Reads answered by a cache in front of the API or the table. */
  readonly cachedReads: number;
  /** Jobs the workers run (from the queue; none without one). */
  readonly jobs: number;
  /** Updates the search indexer applies from the table's stream. */
  readonly indexUpdates: number;
  readonly logStore: LogStoreMonth;
}

/**
 * For a part whose resources only the primary region's stack deploys (the user pool, the analytics
 * stream, its files and queries, the backup plan): priced at the primary region's prices alone.
 */
export const inPrimary = (inventory: Inventory): { region?: string } =>
  inventory.regions[0] ? { region: inventory.regions[0] } : {};

export const HOURS_PER_MONTH = 730;
/** Average size of an analytics event. */
export const EVENT_KB = 0.5;
/** JSON events compress about 6:1 with GZIP in the delivered files. */
export const GZIP_RATIO = 6;

export const gb = (kb: number) => kb / 1024 / 1024;

/** The log store's month, and the estimate it rests on. */
export interface LogStoreMonth {
  readonly events: number;
  readonly gb: number;
  readonly storedGb: number;
  readonly transformInvocations: number;
  readonly assumption: string;
}
