import { createRoute } from '@hono/zod-openapi';
import { NotFoundError } from '../../contracts/errors.js';
import type { CostAdvisor, StageMapSource } from '../../contracts/ports.js';
import { nextStage, STAGE_TABLE, type StageCapabilities } from '../../contracts/stages.js';
import type { AuthMiddleware } from '../accounts/auth-middleware.js';
import { createRouter } from '../app-env.js';
import { jsonContent, problemResponses } from '../openapi-shared.js';
import { OpsCostReportSchema, StageReportSchema } from './ops-schemas.js';
import { StageMapQuerySchema, StageMapReportSchema } from './stage-map-schemas.js';

const stageReport = createRoute({
  method: 'get',
  path: '/ops/stage',
  tags: ['operations'],
  summary: 'The running stage and what it runs, from the stage table (admin)',
  security: [{ bearerAuth: [] }],
  responses: {
    200: { description: 'This stage and the next', ...jsonContent(StageReportSchema) },
    ...problemResponses(401, 403),
  },
});

const costReport = createRoute({
  method: 'get',
  path: '/ops/plan',
  tags: ['operations'],
  summary: "Each stage's monthly cost at the measured traffic, and the advisor's recommendation (admin)",
  security: [{ bearerAuth: [] }],
  responses: {
    200: { description: 'Costs per stage and the advice', ...jsonContent(OpsCostReportSchema) },
    ...problemResponses(401, 403, 404),
  },
});

const stageMap = createRoute({
  method: 'get',
  path: '/ops/stage-map',
  tags: ['operations'],
  summary:
    "A stage's architecture beside the next stage's, drawn from the synthesized templates, with what the next adds and costs (admin)",
  security: [{ bearerAuth: [] }],
  request: { query: StageMapQuerySchema },
  responses: {
    200: { description: 'The two maps, their difference and the cost', ...jsonContent(StageMapReportSchema) },
    ...problemResponses(400, 401, 403, 404),
  },
});

/** What the ops console reads about the running system. Admin only. */
export function opsRoutes(
  capabilities: StageCapabilities,
  auth: AuthMiddleware,
  costAdvisor: CostAdvisor | undefined,
  stageMaps: StageMapSource | undefined,
) {
  const router = createRouter();
  router.openapi({ ...stageReport, middleware: [auth.requireAdmin] }, (c) => {
    const next = nextStage(capabilities.stage);
    return c.json({ current: capabilities, next: next ? STAGE_TABLE[next] : null }, 200);
  });
  router.openapi({ ...costReport, middleware: [auth.requireAdmin] }, async (c) => {
    if (!costAdvisor)
      throw new NotFoundError('the cost model reads /metrics, which this deployment does not serve');
    return c.json(OpsCostReportSchema.parse(await costAdvisor.report()), 200);
  });
  router.openapi({ ...stageMap, middleware: [auth.requireAdmin] }, async (c) => {
    if (!stageMaps)
      throw new NotFoundError(
        'the stage map reads the synthesized-templates cache, which this process keeps none of',
      );
    const { stage } = c.req.valid('query');
    return c.json(StageMapReportSchema.parse(await stageMaps.report(stage ?? capabilities.stage)), 200);
  });
  return router;
}
