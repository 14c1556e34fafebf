import { join } from 'node:path';
import { capabilitiesOf, type Stage } from '../contracts/stages.js';
import { type RegionTemplate, TEMPLATE_CACHE_DIR, type TemplateSource } from '../contracts/templates.js';
import type { InfraConfig, InfraConfigInput } from './infra-config.js';

/**
 * The CloudFormation templates of a stage, one per region, synthesized without bundling and
 * cached by the infrastructure's template cache (keyed by stage and settings) until the
 * infrastructure code or its settings change: the first plan synthesizes, the next ones read.
 */
export async function stageTemplates(
  stage: Stage,
  options: {
    root: string;
    cacheDir: string;
    primaryRegion?: string;
    /** Settings that win over growstack.config.ts for this plan only (`--set`). */
    settings?: InfraConfigInput;
    onSynth?: () => void;
  },
): Promise<{ templates: RegionTemplate[]; synthesized: boolean }> {
  const { loadInfraConfig } = await import('./infra-config.js');
  const { cachedStageTemplates } = await import('./template-cache.js');
  const config = planConfig(
    stage,
    await loadInfraConfig(options.root, {
      ...options.settings,
      ...(options.primaryRegion ? { primaryRegion: options.primaryRegion } : {}),
    }),
  );
  const { stacks, synthesized } = await cachedStageTemplates({
    stage,
    config,
    root: options.root,
    cacheDir: options.cacheDir,
    ...(options.onSynth ? { onSynth: options.onSynth } : {}),
  });
  const templates = stacks.map((stack): RegionTemplate => ({ region: stack.region, ...stack.template }));
  return { templates, synthesized };
}

/** A zone that stands in for the user's own when the plan only needs the templates' contents. */
export const PLACEHOLDER_ZONE = { zoneName: 'shop.example.com', hostedZoneId: 'Z00000000PLACEHOLDER' };

/** Stages whose CloudFront WAF ties the primary region to us-east-1 (containers behind CloudFront). */
function needsUsEast1(stage: Stage): boolean {
  return capabilitiesOf(stage).api.compute !== 'lambda';
}

/**
 * The settings a plan synthesizes with: the user's, with a placeholder hosted zone where none is
 * set (a zone costs the same whichever it is), and us-east-1 first where the stage requires it
 * (every region is priced at the chosen region's prices anyway).
 */
function planConfig(stage: Stage, config: InfraConfig): InfraConfig {
  if (!needsUsEast1(stage)) return config;
  const others = [config.primaryRegion, ...config.secondaryRegions].filter(
    (region) => region !== 'us-east-1',
  );
  return {
    ...config,
    hostedZone: config.hostedZone ?? PLACEHOLDER_ZONE,
    primaryRegion: 'us-east-1',
    secondaryRegions: [...new Set(others)],
  };
}

/** The template source `growstack plan` and `advise` hand the cost model: cached under .growstack/plan. */
export function planTemplateSource(root: string, settings: InfraConfigInput = {}): TemplateSource {
  return async (stage, options) =>
    (
      await stageTemplates(stage, {
        root,
        cacheDir: join(root, TEMPLATE_CACHE_DIR),
        primaryRegion: options.primaryRegion,
        settings,
        ...(options.onSynth ? { onSynth: options.onSynth } : {}),
      })
    ).templates;
}
