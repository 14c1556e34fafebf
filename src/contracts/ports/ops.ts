/** What the ops console and the health check report: the cost advisor's view and readiness. */
import type { StageMapReport } from '../stage-map.js';
import type { Stage } from '../stages.js';

/**
 * The cost model's view of the running system, for the ops console: each stage's monthly cost at
 * the measured traffic and the advisor's recommendation. Absent where the process cannot read its
 * own metrics (on Lambda, metrics leave as CloudWatch EMF).
 */
export interface CostAdvisor {
  report(): Promise<OpsCostReport>;
}

export interface OpsCostReport {
  readonly stage: string;
  readonly users: number;
  readonly usersFrom: 'flag' | 'request rate' | 'profile';
  readonly verdict: 'stay' | 'move-up' | 'move-down' | 'not-enough-data';
  readonly recommendedStage: string;
  readonly summary: string;
  readonly findings: {
    readonly rule: string;
    readonly direction: 'up' | 'down' | 'fix' | 'ok';
    readonly measured: number;
    readonly threshold: number;
    readonly message: string;
  }[];
  readonly stages: {
    readonly stage: string;
    readonly totalUsd: number;
    readonly fixedUsd: number;
    readonly usageUsd: number;
    readonly source: string;
    readonly fit: string;
    /** False when lines could not be priced: `totalUsd` is then a lower bound, not the bill. */
    readonly complete: boolean;
    readonly unpriced: readonly {
      readonly service: string;
      readonly item: string;
      readonly region: string;
      readonly reason: string;
    }[];
  }[];
  /**
   * Each stage's monthly cost against users (1,000 to 10,000,000, log scale) under the default
   * profile, as `growstack plan --html` draws it: the points, each stage's quoted range, where it
   * stops fitting and where the next becomes cheaper, the drawing as SVG and its facts in words.
   * Null when no stage is priced.
   */
  readonly curve: {
    readonly points: readonly {
      readonly users: number;
      readonly stages: readonly {
        readonly stage: string;
        readonly totalUsd: number;
        readonly complete: boolean;
      }[];
    }[];
    readonly stages: readonly {
      readonly stage: string;
      readonly quote: { readonly minUsd: number; readonly maxUsd: number };
      readonly stopsFittingAt: number | null;
      readonly nextCheaperFrom: number | null;
    }[];
    readonly svg: string;
    readonly facts: readonly string[];
  } | null;
  /** The prices used: the shipped snapshot or a refreshed file, the dates of their data and its age. */
  readonly prices: {
    readonly kind: 'shipped' | 'refreshed';
    readonly oldest: string;
    readonly newest: string;
    /** Days from the newest price date to the report; null when the data carries no exact date. */
    readonly ageDays: number | null;
  };
  /**
   * The synthesized-templates cache every figure comes from (the plan's): the stages it does not
   * hold are not priced, and those whose infrastructure code changed since are marked stale.
   */
  readonly templates: {
    readonly missing: readonly string[];
    readonly stale: readonly string[];
    readonly fillCommand: string;
  };
}

/**
 * The stage maps of the ops console, drawn from the synthesized-templates cache: a stage beside
 * the next, with what the next adds and costs. Absent where the process keeps no such cache.
 */
export interface StageMapSource {
  report(stage: Stage): Promise<StageMapReport>;
}

/** One dependency's state as readiness reports it: `mode` is the adapter that serves it. */
export interface DependencyState {
  readonly status: 'ok' | 'down';
  readonly mode: string;
  /** Why it is down; never an address or a stack. */
  readonly detail?: string;
}

export interface ReadinessReport {
  /** True when every dependency the stage needs answers. */
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, DependencyState>>;
}

/** Whether the process can serve: asks each dependency the stage needs (GET /api/health). */
export interface Readiness {
  check(): Promise<ReadinessReport>;
}
