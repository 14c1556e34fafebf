import type { Stage } from './stages.js';

/** The boxes of a stage map, in the order they are drawn: requests flow left to right. */
export const STAGE_MAP_GROUPS = [
  'edge',
  'api',
  'compute',
  'data',
  'queues',
  'caches',
  'search',
  'analytics',
  'auth',
  'observability',
] as const;
export type StageMapGroup = (typeof STAGE_MAP_GROUPS)[number];

/** One kind of resource in one region: what it is, how many, and what stands in for it locally. */
export interface StageMapBox {
  /** Stable across stages and regions, so two maps compare: `data.dynamodb`. */
  readonly id: string;
  readonly group: StageMapGroup;
  readonly label: string;
  readonly count: number;
  /** What serves this part on a laptop (`npm start`); absent when nothing does. */
  readonly localStandIn?: string;
}

export interface StageMapRegion {
  readonly region: string;
  readonly boxes: readonly StageMapBox[];
}

/** A stage's architecture as its synthesized templates describe it, one entry per region. */
export interface StageMap {
  readonly stage: Stage;
  readonly regions: readonly StageMapRegion[];
}

/** What one map has that another has not: a box in a region, by its id. */
export interface StageMapChange {
  readonly region: string;
  readonly id: string;
  readonly label: string;
}

/** What moving from one stage to the next adds, removes and resizes, region by region. */
export interface StageMapDiff {
  readonly from: Stage;
  readonly to: Stage;
  readonly addedRegions: readonly string[];
  readonly added: readonly StageMapChange[];
  readonly removed: readonly StageMapChange[];
  readonly resized: readonly (StageMapChange & { readonly from: number; readonly to: number })[];
}

/** A stage's map as the ops console shows it: the boxes, and the drawings made of them. */
export interface StageMapView extends StageMap {
  /** Self-contained SVG, with the local stand-ins when running locally and the additions highlighted. */
  readonly svg: string;
  readonly mermaid: string;
  /** When its templates were synthesized (ISO-8601 UTC). */
  readonly synthesizedAt: string;
  /** True when the infrastructure code changed since: the plan would synthesize again. */
  readonly stale: boolean;
}

/**
 * GET /api/ops/stage-map: a stage's map beside the next stage's, what the next adds, and what the
 * next costs a month at the measured traffic, all from the synthesized-templates cache the plan uses.
 */
export interface StageMapReport {
  /** The stage this process runs. */
  readonly running: Stage;
  /** The stage drawn first (the running one unless asked for another). */
  readonly stage: Stage;
  readonly next: Stage | null;
  /** True on a laptop: each box names its local stand-in. */
  readonly local: boolean;
  /** The stages of the two maps whose templates are not in the cache. */
  readonly missing: readonly Stage[];
  /** The command that fills the cache. */
  readonly fillCommand: string;
  readonly current: StageMapView | null;
  readonly nextMap: StageMapView | null;
  readonly diff: StageMapDiff | null;
  /** The next stage's monthly cost from the plan at the measured traffic; null when not priced. */
  readonly nextMonthly: {
    readonly totalUsd: number;
    readonly fixedUsd: number;
    readonly usageUsd: number;
  } | null;
  /** Why nextMonthly is null, or what it assumes. */
  readonly nextMonthlyNote: string;
}
