import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stage } from '../../platform/stages.js';
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
  if (existsSync(cacheFile) && statSync(cacheFile).mtimeMs > sourcesChanged) {
    const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as CachedTemplates;
    if (
      cached.stage === stage &&
      (!options.primaryRegion || cached.templates[0]?.region === options.primaryRegion)
    )
      return { templates: cached.templates, synthesized: false };
  }
  options.onSynth?.();
  const { synthesize } = await import('../../infra/synthesize.js');
  const { loadInfraConfig } = await import('../../infra/infra-config.js');
  const config = await loadInfraConfig(
    options.root,
    options.primaryRegion ? { primaryRegion: options.primaryRegion } : {},
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
