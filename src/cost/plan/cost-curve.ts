import { capabilitiesOf, STAGES, type Stage } from '../../contracts/stages.js';
import type { Inventory } from './inventory.js';
import { planStages, REFERENCE_QUOTES } from './plan.js';
import type { UsageProfile } from './profile.js';

/** The users the curve spans: 1,000 to 10,000,000, four points a decade (log scale). */
export const CURVE_MIN_USERS = 1_000;
export const CURVE_MAX_USERS = 10_000_000;
const POINTS_PER_DECADE = 4;

export interface CurvePoint {
  readonly users: number;
  /** Each stage's monthly total at these users; `complete` false when lines are not priced. */
  readonly stages: readonly {
    readonly stage: Stage;
    readonly totalUsd: number;
    readonly complete: boolean;
  }[];
}

export interface StageCurve {
  readonly stage: Stage;
  /** The seed's quoted monthly range for the stage, drawn as a band. */
  readonly quote: { readonly minUsd: number; readonly maxUsd: number };
  /** The users past which the stage no longer fits (its band's top), null for the open top band. */
  readonly stopsFittingAt: number | null;
  /**
   * The fewest users at which the next stage costs no more than this one, within the curve's
   * span; null when the next stage stays dearer up to 10M users (or there is no next stage).
   */
  readonly nextCheaperFrom: number | null;
}

export interface CostCurve {
  readonly points: readonly CurvePoint[];
  readonly stages: readonly StageCurve[];
}

/** Each stage's monthly cost against users, under one profile's other assumptions. */
export function costCurve(options: {
  profile: UsageProfile;
  region: string;
  inventories: ReadonlyMap<Stage, Inventory>;
}): CostCurve {
  const totals = (users: number) =>
    planStages({ ...options, profile: { ...options.profile, users: Math.round(users) } }).stages;
  const points: CurvePoint[] = [];
  const decades = Math.log10(CURVE_MAX_USERS / CURVE_MIN_USERS);
  for (let step = 0; step <= decades * POINTS_PER_DECADE; step++) {
    const users = Math.round(CURVE_MIN_USERS * 10 ** (step / POINTS_PER_DECADE));
    points.push({
      users,
      stages: totals(users).map(({ stage, totalUsd, complete }) => ({ stage, totalUsd, complete })),
    });
  }
  const present = STAGES.filter((stage) => options.inventories.has(stage));
  const stages = present.map((stage, index): StageCurve => {
    const next = present[index + 1];
    return {
      stage,
      quote: { minUsd: REFERENCE_QUOTES[stage].minUsd, maxUsd: REFERENCE_QUOTES[stage].maxUsd },
      stopsFittingAt: capabilitiesOf(stage).users.max,
      nextCheaperFrom: next ? crossover(stage, next, points, totals) : null,
    };
  });
  return { points, stages };
}

type Totals = (users: number) => readonly { stage: Stage; totalUsd: number }[];

/** Where `next` first costs no more than `stage`: the grid bracket, then bisection to 1 %. */
function crossover(stage: Stage, next: Stage, points: readonly CurvePoint[], totals: Totals): number | null {
  const cheaper = (of: readonly { stage: Stage; totalUsd: number }[]) => {
    const a = of.find((entry) => entry.stage === stage)?.totalUsd ?? 0;
    const b = of.find((entry) => entry.stage === next)?.totalUsd ?? 0;
    return b <= a;
  };
  const index = points.findIndex((point) => cheaper(point.stages));
  if (index < 0) return null;
  if (index === 0) return points[0]!.users;
  let low = points[index - 1]!.users;
  let high = points[index]!.users;
  while (high / low > 1.01) {
    const middle = Math.round(Math.sqrt(low * high));
    if (cheaper(totals(middle))) high = middle;
    else low = middle;
  }
  return high;
}
