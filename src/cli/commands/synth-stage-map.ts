import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stage } from '../../contracts/stages.js';
import type { RegionTemplate } from '../../contracts/templates.js';
import { stageMapOf } from '../../platform/stage-map/stage-map.js';
import { stageMapMermaid, stageMapSvg } from '../../platform/stage-map/stage-map-render.js';

/**
 * Writes the stage map of a synthesized assembly beside its templates: `stage-map.svg` (drawn
 * here, no browser) and `stage-map.mmd` (Mermaid, for docs and pull requests).
 */
export function writeStageMap(
  stage: Stage,
  outdir: string,
  stacks: readonly { readonly region: string; readonly templateFile: string }[],
): { svg: string; mermaid: string } {
  const templates = stacks.map(
    (stack): RegionTemplate => ({
      region: stack.region,
      ...(JSON.parse(readFileSync(stack.templateFile, 'utf8')) as Omit<RegionTemplate, 'region'>),
    }),
  );
  const map = stageMapOf(stage, templates);
  const files = { svg: join(outdir, 'stage-map.svg'), mermaid: join(outdir, 'stage-map.mmd') };
  writeFileSync(files.svg, stageMapSvg(map));
  writeFileSync(files.mermaid, stageMapMermaid(map));
  return files;
}
