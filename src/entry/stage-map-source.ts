import type { CostAdvisor, StageMapSource } from '../contracts/ports.js';
import type { StageMapView } from '../contracts/stage-map.js';
import { nextStage, type Stage } from '../contracts/stages.js';
import { type CachedTemplateReader, TEMPLATE_CACHE_FILL_COMMAND } from '../contracts/templates.js';
import { additionsOf, diffStageMaps, stageMapOf } from '../platform/stage-map/stage-map.js';
import {
  type StageMapDrawing,
  stageMapMermaid,
  stageMapSvg,
} from '../platform/stage-map/stage-map-render.js';

/**
 * The ops console's stage maps: a stage and the next drawn from the synthesized-templates cache,
 * the next with what it adds highlighted and its monthly cost from the cost advisor, which prices
 * the same cached templates the plan does.
 */
export function stageMapSource(options: {
  running: Stage;
  local: boolean;
  readTemplates: CachedTemplateReader;
  costAdvisor: CostAdvisor | undefined;
}): StageMapSource {
  const view = (stage: Stage, drawing: StageMapDrawing): StageMapView | null => {
    const cached = options.readTemplates(stage);
    if (!cached) return null;
    const map = stageMapOf(stage, cached.templates);
    return {
      ...map,
      svg: stageMapSvg(map, drawing),
      mermaid: stageMapMermaid(map, drawing),
      synthesizedAt: cached.synthesizedAt,
      stale: cached.stale,
    };
  };
  return {
    async report(stage) {
      const next = nextStage(stage);
      const local = options.local;
      const current = view(stage, { local });
      const plain = next ? view(next, { local }) : null;
      const diff = current && plain ? diffStageMaps(current, plain) : null;
      const nextMap = next && plain && diff ? view(next, { local, highlight: additionsOf(diff) }) : plain;
      const missing = [stage, ...(next ? [next] : [])].filter(
        (candidate) => (candidate === stage ? current : nextMap) === null,
      );
      return {
        running: options.running,
        stage,
        next,
        local,
        missing,
        fillCommand: TEMPLATE_CACHE_FILL_COMMAND,
        current,
        nextMap,
        diff,
        ...(await nextMonthlyOf(next, options.costAdvisor)),
      };
    },
  };
}

async function nextMonthlyOf(
  next: Stage | null,
  costAdvisor: CostAdvisor | undefined,
): Promise<{
  nextMonthly: { totalUsd: number; fixedUsd: number; usageUsd: number } | null;
  nextMonthlyNote: string;
}> {
  if (!next) return { nextMonthly: null, nextMonthlyNote: 'enterprise is the last stage' };
  if (!costAdvisor)
    return {
      nextMonthly: null,
      nextMonthlyNote: 'not priced: the cost model reads /metrics, which this deployment does not serve',
    };
  const report = await costAdvisor.report();
  const row = report.stages.find((candidate) => candidate.stage === next);
  if (!row)
    return {
      nextMonthly: null,
      nextMonthlyNote: `not priced: the templates of ${next} are not cached (run ${report.templates.fillCommand})`,
    };
  return {
    nextMonthly: { totalUsd: row.totalUsd, fixedUsd: row.fixedUsd, usageUsd: row.usageUsd },
    nextMonthlyNote: `a month at ${report.users.toLocaleString('en-US')} users (from the ${report.usersFrom}), priced as growstack plan prices it${report.templates.stale.includes(next) ? '; the cached templates predate the infrastructure code' : ''}`,
  };
}
