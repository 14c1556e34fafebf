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
