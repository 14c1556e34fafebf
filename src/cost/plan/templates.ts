import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InfraConfig } from '../../infra/infra-config.js';
import { capabilitiesOf, type Stage } from '../../platform/stages.js';
import type { Template } from './inventory.js';

/** What a stage's templates are made from: a change to any of these makes a cached synth stale. */
const SOURCES = ['src/infra', 'src/platform/stages.ts', 'growstack.config.ts'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((entry) => newestMtime(join(path, entry))));
}

interface CachedTemplates {
  readonly stage: Stage;
  readonly templates: Template[];
}

/**
 * The CloudFormation templates of a stage, one per region, synthesized without bundling and kept
 * in `<cacheDir>/<stage>.json` until the infrastructure code or its settings change: the first plan
 * synthesizes, the next ones read. Null when the stage's CDK code has not landed.
 */
export async function stageTemplates(
  stage: Stage,
  options: { root: string; cacheDir: string; primaryRegion?: string; onSynth?: () => void },
): Promise<{ templates: Template[]; synthesized: boolean } | null> {
  const { isSynthesizable } = await import('../../infra/synthesizable-stages.js');
  if (!isSynthesizable(stage)) return null;
  const cacheFile = join(options.cacheDir, `${stage}.json`);
  const sourcesChanged = Math.max(...SOURCES.map((source) => newestMtime(join(options.root, source))));
  const region = options.primaryRegion && !needsUsEast1(stage) ? options.primaryRegion : undefined;
  if (existsSync(cacheFile) && statSync(cacheFile).mtimeMs > sourcesChanged) {
    const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as CachedTemplates;
    if (cached.stage === stage && (!region || cached.templates[0]?.region === region))
      return { templates: cached.templates, synthesized: false };
  }
  options.onSynth?.();
  const { synthesize } = await import('../../infra/synthesize.js');
  const { loadInfraConfig } = await import('../../infra/infra-config.js');
  const config = planConfig(
    stage,
    await loadInfraConfig(
      options.root,
      options.primaryRegion ? { primaryRegion: options.primaryRegion } : {},
    ),
  );
  const summary = await synthesize({
    stage,
    outdir: join(options.cacheDir, `cdk.out-${stage}`),
    root: options.root,
    config,
    bundling: false,
  });
  const templates = summary.stacks.map((stack) => ({
    region: stack.region,
    ...(JSON.parse(readFileSync(stack.templateFile, 'utf8')) as Omit<Template, 'region'>),
  }));
  mkdirSync(options.cacheDir, { recursive: true });
  writeFileSync(cacheFile, JSON.stringify({ stage, templates } satisfies CachedTemplates));
  return { templates, synthesized: true };
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
