import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stage } from '../contracts/stages.js';
import { TEMPLATE_SOURCES, templateCacheFileName } from '../contracts/templates.js';
import type { InfraConfig } from './infra-config.js';
import { lookupContextFileOf, readLookupContext } from './lookups.js';

/** One CloudFormation resource as a template holds it. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly DependsOn?: string | string[];
  readonly [key: string]: unknown;
}

/** A synthesized CloudFormation template. */
export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResource>;
  readonly [key: string]: unknown;
}

/** One stack of a stage: its name, region and template. */
export interface StackTemplate {
  readonly stackName: string;
  readonly region: string;
  readonly template: CfnTemplate;
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((entry) => newestMtime(join(path, entry))));
}

/**
 * A stage's templates, one per region, synthesized without bundling (the templates are the same)
 * and kept in `<cacheDir>/<stage>-<hash of the settings>.json` until the infrastructure code
 * changes: the plan and `growstack migrate` read them, the second time without synthesizing.
 * Lookups still pending leave placeholders in them, which is fine for reading and comparing,
 * never for deploying: these templates are not an assembly anyone deploys.
 */
export async function cachedStageTemplates(options: {
  stage: Stage;
  config: InfraConfig;
  root: string;
  cacheDir: string;
  /** An intermediate deploy of a move: see BuildOptions. */
  maxReplicaRegions?: number;
  lookupContextFile?: string;
  /** Called before a synth (a cache miss), to say that it takes a while. */
  onSynth?: () => void;
}): Promise<{ stacks: StackTemplate[]; synthesized: boolean }> {
  const contextFile = options.lookupContextFile ?? lookupContextFileOf(options.root);
  const key = createHash('sha256')
    .update(
      JSON.stringify({
        config: options.config,
        maxReplicaRegions: options.maxReplicaRegions ?? null,
        context: readLookupContext(contextFile),
      }),
    )
    .digest('hex')
    .slice(0, 16);
  const cacheFile = join(options.cacheDir, templateCacheFileName(options.stage, key));
  const sourcesChanged = Math.max(
    ...TEMPLATE_SOURCES.map((source) => newestMtime(join(options.root, source))),
  );
  if (existsSync(cacheFile) && statSync(cacheFile).mtimeMs > sourcesChanged)
    return { stacks: JSON.parse(readFileSync(cacheFile, 'utf8')) as StackTemplate[], synthesized: false };
  options.onSynth?.();
  const { synthesize } = await import('./synthesize.js');
  const summary = await synthesize({
    stage: options.stage,
    // One assembly folder per stage, replaced by each synth: only the templates are kept.
    outdir: join(options.cacheDir, `cdk.out-${options.stage}`),
    root: options.root,
    config: options.config,
    bundling: false,
    lookupContextFile: contextFile,
    allowPendingLookups: true,
    ...(options.maxReplicaRegions === undefined ? {} : { maxReplicaRegions: options.maxReplicaRegions }),
  });
  const stacks = summary.stacks.map((stack) => ({
    stackName: stack.name,
    region: stack.region,
    template: JSON.parse(readFileSync(stack.templateFile, 'utf8')) as CfnTemplate,
  }));
  mkdirSync(options.cacheDir, { recursive: true });
  writeFileSync(cacheFile, JSON.stringify(stacks));
  return { stacks, synthesized: true };
}
