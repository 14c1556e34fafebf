import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { ConfigError } from '../../contracts/errors.js';
import { money } from './money.js';
import type { Plan } from './plan.js';

/**
 * The part of a previous `growstack plan --json` a comparison reads. Fields added since (such as
 * `complete`) are optional, so a plan from an older commit still reads as a baseline.
 */
const BaselineSchema = z.object({
  stages: z.array(
    z.object({
      stage: z.string(),
      totalUsd: z.number(),
      complete: z.boolean().optional(),
      services: z.array(
        z.object({
          service: z.string(),
          lines: z.array(
            z.object({
              item: z.string(),
              kind: z.string().optional(),
              quantity: z.number(),
              usd: z.number(),
            }),
          ),
        }),
      ),
    }),
  ),
});
type Baseline = z.infer<typeof BaselineSchema>;

/** One bill line before and after; null on the side where it does not exist. */
export interface LineChange {
  readonly service: string;
  readonly item: string;
  readonly kind: string;
  readonly beforeUsd: number | null;
  readonly afterUsd: number | null;
  readonly deltaUsd: number;
  readonly beforeQuantity: number | null;
  readonly afterQuantity: number | null;
}

export interface StageChange {
  readonly stage: string;
  /** Null when the stage is in only one of the two plans. */
  readonly beforeUsd: number | null;
  readonly afterUsd: number | null;
  readonly deltaUsd: number;
  /** Whether either side has lines it could not price: the change is then between lower bounds. */
  readonly incomplete: boolean;
  readonly lines: LineChange[];
}

export interface PlanChange {
  readonly stages: StageChange[];
  /** The largest rise of a stage's monthly total. */
  readonly maxRiseUsd: number;
}

/** Reads a baseline plan; a file that is not one is a ConfigError naming the field. */
export function parseBaseline(input: unknown): Baseline {
  const parsed = BaselineSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ConfigError(
    `not a growstack plan --json: ${issue?.path.join('.') || 'plan'}: ${issue?.message ?? 'invalid'}`,
  );
}

const sub = (a: number, b: number) => new Decimal(a).minus(b).toDecimalPlaces(2).toNumber();

type AnyStage = {
  stage: string;
  services: { service: string; lines: { item: string; kind?: string; quantity: number; usd: number }[] }[];
};

/** Lines keyed by service, item and kind; a line split into tiers or repeated sums up. */
function linesOf(stage: AnyStage | undefined): Map<string, { usd: number; quantity: number; key: string[] }> {
  const lines = new Map<string, { usd: number; quantity: number; key: string[] }>();
  for (const service of stage?.services ?? [])
    for (const line of service.lines) {
      const key = [service.service, line.item, line.kind ?? 'usage'];
      const id = key.join('\u0000');
      const seen = lines.get(id);
      lines.set(id, {
        key,
        usd: new Decimal(seen?.usd ?? 0).plus(line.usd).toNumber(),
        quantity: (seen?.quantity ?? 0) + line.quantity,
      });
    }
  return lines;
}

/** What changed per stage and per line between a baseline plan and this one. */
export function comparePlans(baseline: Baseline, plan: Plan): PlanChange {
  const names = [...new Set([...baseline.stages.map((s) => s.stage), ...plan.stages.map((s) => s.stage)])];
  const stages = names.map((name): StageChange => {
    const before = baseline.stages.find((stage) => stage.stage === name);
    const after = plan.stages.find((stage) => stage.stage === name);
    const beforeLines = linesOf(before);
    const afterLines = linesOf(after);
    const lines: LineChange[] = [];
    for (const id of new Set([...beforeLines.keys(), ...afterLines.keys()])) {
      const old = beforeLines.get(id);
      const now = afterLines.get(id);
      const delta = sub(now?.usd ?? 0, old?.usd ?? 0);
      if (delta === 0 && old?.quantity === now?.quantity) continue;
      const [service, item, kind] = (now ?? old)!.key as [string, string, string];
      lines.push({
        service,
        item,
        kind,
        beforeUsd: old?.usd ?? null,
        afterUsd: now?.usd ?? null,
        deltaUsd: delta,
        beforeQuantity: old?.quantity ?? null,
        afterQuantity: now?.quantity ?? null,
      });
    }
    lines.sort((a, b) => Math.abs(b.deltaUsd) - Math.abs(a.deltaUsd));
    return {
      stage: name,
      beforeUsd: before?.totalUsd ?? null,
      afterUsd: after?.totalUsd ?? null,
      deltaUsd: sub(after?.totalUsd ?? 0, before?.totalUsd ?? 0),
      incomplete: before?.complete === false || after?.complete === false,
      lines,
    };
  });
  return { stages, maxRiseUsd: Math.max(0, ...stages.map((stage) => stage.deltaUsd)) };
}

const signed = (usd: number) => `${usd < 0 ? '-' : '+'}${money(Math.abs(usd))}`;
const side = (usd: number | null) => (usd === null ? 'none' : `${usd < 0 ? '-' : ''}${money(Math.abs(usd))}`);

/** The change as text: one line per stage, then its lines, largest change first. */
export function formatPlanChange(change: PlanChange, baselineName: string): string {
  const out = [`Change against ${baselineName} (a month):`];
  for (const stage of change.stages) {
    out.push(
      `${stage.stage}: ${side(stage.beforeUsd)} -> ${side(stage.afterUsd)} (${signed(stage.deltaUsd)})${stage.incomplete ? ' [between incomplete totals: lines not priced]' : ''}`,
    );
    for (const line of stage.lines)
      out.push(
        `  ${line.service} ${line.item} (${line.kind}): ${side(line.beforeUsd)} -> ${side(line.afterUsd)} (${signed(line.deltaUsd)})`,
      );
    if (stage.lines.length === 0) out.push('  no line changed');
  }
  return out.join('\n');
}

/** The stages whose monthly total rose by more than `limitUsd`. */
export function risesAbove(change: PlanChange, limitUsd: number): StageChange[] {
  return change.stages.filter((stage) => stage.deltaUsd > limitUsd);
}
