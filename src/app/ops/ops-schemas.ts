import { STAGES, type StageCapabilities } from '../../contracts/stages.js';
import { z } from '../../contracts/zod.js';

/** One row of the stage table, as GET /api/ops/stage returns it. */
export const StageCapabilitiesSchema = z
  .object({
    stage: z.enum(STAGES),
    users: z.object({ min: z.number().int(), max: z.number().int().nullable() }),
    regions: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    web: z.object({ cachePolicies: z.boolean(), edgeFunctions: z.boolean() }),
    api: z.object({
      compute: z.enum(['lambda', 'lambda+fargate', 'lambda+eks']),
      gatewayCache: z.boolean(),
    }),
    data: z.object({ pointInTimeRecovery: z.boolean(), backupPlan: z.boolean(), globalTable: z.boolean() }),
    jobs: z.enum(['inline', 'sqs']),
    cache: z.enum(['none', 'memory', 'redis']),
    sessions: z.enum(['dynamodb', 'redis', 'cognito']),
    search: z.enum(['table', 'memory-index', 'opensearch']),
    analytics: z.enum(['dynamodb-counters', 'kinesis']),
    security: z.object({
      cdkNag: z.literal(true),
      auditTrail: z.boolean(),
      complianceRecording: z.boolean(),
      budgets: z.boolean(),
      waf: z.boolean(),
      shieldAdvanced: z.boolean(),
    }),
    observability: z.object({
      alarms: z.boolean(),
      dashboard: z.boolean(),
      tracing: z.boolean(),
      prometheus: z.boolean(),
      logStore: z.boolean(),
    }),
  })
  .openapi('StageCapabilities');

export const StageReportSchema = z
  .object({
    current: StageCapabilitiesSchema,
    /** The row of the stage after this one, so the console can show what growing would add. */
    next: StageCapabilitiesSchema.nullable(),
  })
  .openapi('StageReport');

// The stage table's interface is the source of truth. Returning a row from the route checks that
// the row fits this schema; this checks the other way: a new column must be described here too.
type Described = keyof z.infer<typeof StageCapabilitiesSchema>;
export const everyColumnDescribed: [Exclude<keyof StageCapabilities, Described>] extends [never]
  ? true
  : never = true;

/** GET /api/ops/plan: each stage's monthly cost at the measured traffic, and the advisor's verdict. */
export const OpsCostReportSchema = z
  .object({
    stage: z.enum(STAGES),
    users: z.number().int(),
    usersFrom: z.enum(['flag', 'request rate', 'profile']),
    verdict: z.enum(['stay', 'move-up', 'move-down', 'not-enough-data']),
    recommendedStage: z.enum(STAGES),
    summary: z.string(),
    findings: z.array(
      z.object({
        rule: z.string(),
        direction: z.enum(['up', 'down', 'fix', 'ok']),
        measured: z.number(),
        threshold: z.number(),
        message: z.string(),
      }),
    ),
    stages: z.array(
      z.object({
        stage: z.enum(STAGES),
        totalUsd: z.number(),
        fixedUsd: z.number(),
        usageUsd: z.number(),
        source: z.string(),
        fit: z.string(),
        complete: z.boolean(),
        unpriced: z.array(
          z.object({ service: z.string(), item: z.string(), region: z.string(), reason: z.string() }),
        ),
      }),
    ),
    curve: z
      .object({
        points: z.array(
          z.object({
            users: z.number().int(),
            stages: z.array(z.object({ stage: z.enum(STAGES), totalUsd: z.number(), complete: z.boolean() })),
          }),
        ),
        stages: z.array(
          z.object({
            stage: z.enum(STAGES),
            quote: z.object({ minUsd: z.number(), maxUsd: z.number() }),
            stopsFittingAt: z.number().int().nullable(),
            nextCheaperFrom: z.number().int().nullable(),
          }),
        ),
        svg: z.string(),
        facts: z.array(z.string()),
      })
      .nullable(),
    prices: z.object({
      kind: z.enum(['shipped', 'refreshed']),
      oldest: z.string(),
      newest: z.string(),
      ageDays: z.number().int().nullable(),
    }),
    templates: z.object({
      missing: z.array(z.enum(STAGES)),
      stale: z.array(z.enum(STAGES)),
      fillCommand: z.string(),
    }),
  })
  .openapi('OpsCostReport');
