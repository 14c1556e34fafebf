import { createRoute } from '@hono/zod-openapi';
import { nextStage, STAGE_TABLE, type StageCapabilities } from '../../platform/stages.js';
import type { AuthMiddleware } from '../accounts/auth-middleware.js';
import { createRouter } from '../app-env.js';
import { jsonContent, problemResponses } from '../openapi-shared.js';
import { StageReportSchema } from './ops-schemas.js';

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

/** What the ops console reads about the running system. Admin only. */
export function opsRoutes(capabilities: StageCapabilities, auth: AuthMiddleware) {
  const router = createRouter();
  router.openapi({ ...stageReport, middleware: [auth.requireAdmin] }, (c) => {
    const next = nextStage(capabilities.stage);
    return c.json({ current: capabilities, next: next ? STAGE_TABLE[next] : null }, 200);
  });
  return router;
}
