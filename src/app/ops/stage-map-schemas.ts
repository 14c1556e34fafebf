import { STAGE_MAP_GROUPS, type StageMapReport } from '../../contracts/stage-map.js';
import { STAGES } from '../../contracts/stages.js';
import { z } from '../../contracts/zod.js';

const StageMapBoxSchema = z.object({
  id: z.string().openapi({ example: 'data.dynamodb' }),
  group: z.enum(STAGE_MAP_GROUPS),
  label: z.string(),
  count: z.number().int().positive(),
  localStandIn: z.string().optional().openapi({ description: 'What serves this part on a laptop' }),
});

const StageMapViewSchema = z
  .object({
    stage: z.enum(STAGES),
    regions: z.array(z.object({ region: z.string(), boxes: z.array(StageMapBoxSchema) })),
    svg: z.string().openapi({ description: 'Self-contained SVG: no script, font or image to fetch' }),
    mermaid: z.string(),
    synthesizedAt: z.string(),
    stale: z.boolean(),
  })
  .openapi('StageMapView');

const ChangeSchema = z.object({ region: z.string(), id: z.string(), label: z.string() });

/** GET /api/ops/stage-map: a stage's map beside the next, what it adds and what it costs. */
export const StageMapReportSchema = z
  .object({
    running: z.enum(STAGES),
    stage: z.enum(STAGES),
    next: z.enum(STAGES).nullable(),
    local: z.boolean(),
    missing: z.array(z.enum(STAGES)),
    fillCommand: z.string(),
    current: StageMapViewSchema.nullable(),
    nextMap: StageMapViewSchema.nullable(),
    diff: z
      .object({
        from: z.enum(STAGES),
        to: z.enum(STAGES),
        addedRegions: z.array(z.string()),
        added: z.array(ChangeSchema),
        removed: z.array(ChangeSchema),
        resized: z.array(ChangeSchema.extend({ from: z.number().int(), to: z.number().int() })),
      })
      .nullable(),
    nextMonthly: z.object({ totalUsd: z.number(), fixedUsd: z.number(), usageUsd: z.number() }).nullable(),
    nextMonthlyNote: z.string(),
  })
  .openapi('StageMapReport');

// The contract is the source of truth: what the schema accepts must be a StageMapReport.
export const stageMapReportDescribed: z.infer<typeof StageMapReportSchema> extends StageMapReport
  ? true
  : never = true;

export const StageMapQuerySchema = z.object({
  stage: z
    .enum(STAGES)
    .optional()
    .openapi({ description: 'The stage to draw first (default: the running stage)', example: 'growing' }),
});
