import type { Stage } from './stages.js';

type Resource = { readonly Type: string; readonly Properties?: Record<string, unknown> };

/** One region's synthesized CloudFormation template, as the cost model reads it. */
export interface RegionTemplate {
  readonly region: string;
  readonly Resources?: Record<string, Resource>;
}

/**
 * Where the cost model gets a stage's templates without knowing the CDK app: the CLI hands it
 * one (src/infra/plan-templates.ts behind it). Null when the stage has no CDK code.
 */
export type TemplateSource = (
  stage: Stage,
  options: { readonly primaryRegion: string; readonly onSynth?: () => void },
) => Promise<readonly RegionTemplate[] | null>;

/**
 * The synthesized-templates cache `growstack plan`, `advise` and `migrate` keep, relative to the
 * project's root: one `<stage>-<16 hex of the settings>.json` per stage and settings, each a list
 * of `{ stackName, region, template }`. The infrastructure writes it; the ops console only reads
 * it, so it prices from the very templates the plan priced.
 */
export const TEMPLATE_CACHE_DIR = '.growstack/plan';

/** The command that fills the template cache: the plan synthesizes each stage once, then reads. */
export const TEMPLATE_CACHE_FILL_COMMAND = 'npx growstack plan';

/** What a stage's templates are made from, relative to the root: a change to any makes a cached synth stale. */
export const TEMPLATE_SOURCES = ['src/infra', 'src/contracts/stages.ts', 'growstack.config.ts'] as const;

/** The cache file of one stage and one hash of its settings. */
export function templateCacheFileName(stage: Stage, settingsKey: string): string {
  return `${stage}-${settingsKey}.json`;
}

/** One stack as the template cache holds it. */
export interface CachedStack {
  readonly stackName: string;
  readonly region: string;
  readonly template: Omit<RegionTemplate, 'region'>;
}

/** What the template cache holds for one stage: its templates and whether the code has moved on since. */
export interface CachedStageTemplates {
  readonly stage: Stage;
  readonly templates: readonly RegionTemplate[];
  /** When the templates were synthesized (ISO-8601 UTC). */
  readonly synthesizedAt: string;
  /** True when the infrastructure code changed after the synth: the plan would synthesize again. */
  readonly stale: boolean;
}

/** Reads a stage's templates from the cache without synthesizing; undefined when none is cached. */
export type CachedTemplateReader = (stage: Stage) => CachedStageTemplates | undefined;
