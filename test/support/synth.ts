import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import type { Stage } from '../../src/contracts/stages.js';
import { type InfraConfigInput, parseInfraConfig } from '../../src/infra/infra-config.js';
import { type SynthSummary, synthesize } from '../../src/infra/synthesize.js';

/** The repository root: where the function entries and web/dist are found. */
export const ROOT = join(import.meta.dirname, '..', '..');

/**
 * What the CDK CLI would have recorded in `cdk.context.json` for the test account: its
 * availability zones in the regions the tests synthesize.
 */
export const LOOKUP_CONTEXT_FIXTURE = join(ROOT, 'test', 'fixtures', 'cdk.context.json');

/** A hosted zone for the stages that need one (scaling on); nothing is looked up in it. */
export const TEST_ZONE = { zoneName: 'shop.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' };

/** One CloudFormation resource as a template holds it. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string[];
}

/** A synthesized stage, per region: the summary, and each template as assertions, JSON and text. */
export interface StageSynth {
  readonly summary: SynthSummary;
  readonly templates: Record<string, Template>;
  readonly resources: Record<string, Record<string, TemplateResource>>;
  readonly text: Record<string, string>;
}

/**
 * Synthesizes a stage's templates for a test file, without bundling the functions' code (the
 * templates are the same either way), into its own folder under test/artifacts, with the test
 * zone and account unless `config` says otherwise.
 */
export async function synthStage(
  stage: Stage,
  name: string,
  config: InfraConfigInput = {},
): Promise<StageSynth> {
  const summary = await synthesize({
    stage,
    outdir: join(ROOT, 'test', 'artifacts', 'cdk.out', name),
    root: ROOT,
    config: parseInfraConfig({ hostedZone: TEST_ZONE, account: '123456789012', ...config }),
    bundling: false,
    lookupContextFile: LOOKUP_CONTEXT_FIXTURE,
  });
  const synth: StageSynth = { summary, templates: {}, resources: {}, text: {} };
  for (const stack of summary.stacks) {
    const text = readFileSync(stack.templateFile, 'utf8');
    const json = JSON.parse(text) as { Resources?: Record<string, TemplateResource> };
    synth.text[stack.region] = text;
    synth.resources[stack.region] = json.Resources ?? {};
    synth.templates[stack.region] = Template.fromJSON(json);
  }
  return synth;
}
