import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { capabilitiesOf, STAGES, type Stage } from '../../src/contracts/stages.js';
import type { RegionTemplate } from '../../src/contracts/templates.js';
import type { Inventory } from '../../src/cost/plan/inventory.js';
import { inventoryFromTemplates } from '../../src/cost/plan/template-inventory.js';
import { type InfraConfigInput, parseInfraConfig } from '../../src/infra/infra-config.js';
import { type SynthSummary, synthesize } from '../../src/infra/synthesize.js';
import { cachedStageTemplates, type StackTemplate } from '../../src/infra/template-cache.js';

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

/**
 * Where the suites that only read templates keep them: the infrastructure's own template cache,
 * so a stage is synthesized once and read until the infrastructure code or the settings change.
 */
export const TEMPLATE_CACHE = join(ROOT, 'test', 'artifacts', 'template-cache');

/**
 * Runs `run` while holding `name`'s lock in the template cache, across processes: test files run
 * in parallel forks, and two synths of one stage into the cache's one assembly folder would
 * trample each other. A lock left by a killed run is broken after five minutes.
 */
async function withCacheLock<T>(name: string, run: () => Promise<T>): Promise<T> {
  mkdirSync(TEMPLATE_CACHE, { recursive: true });
  const lock = join(TEMPLATE_CACHE, `${name}.lock`);
  const deadline = Date.now() + 600_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 300_000)
        rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`waited ten minutes for ${lock}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return await run();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * A stage's stacks from the shared template cache, synthesized (without bundling, with the test
 * zone and account, and `config` beside them) on the first call of the run only; later calls and
 * later runs read them.
 */
export function cachedStacks(
  stage: Stage,
  config: InfraConfigInput = {},
  primaryRegion = 'us-east-1',
): Promise<StackTemplate[]> {
  // As the plan synthesizes: the stages with containers behind CloudFront keep us-east-1 first.
  const region = capabilitiesOf(stage).api.compute === 'lambda' ? primaryRegion : 'us-east-1';
  const variant = [
    ...(region === 'us-east-1' ? [] : [region]),
    ...Object.entries(config).map(([key, value]) => `${key}-${String(value)}`),
  ].join('-');
  // One lock per stage, whatever the settings: they share the stage's one assembly folder.
  return withCacheLock(stage, async () => {
    const { stacks } = await cachedStageTemplates({
      stage,
      // A hosted zone ties the primary region to us-east-1 (CloudFront's certificate): the
      // Lambda-only stages elsewhere synthesize without one, as the plan's do.
      config: parseInfraConfig({
        account: '123456789012',
        ...(region === 'us-east-1' ? { hostedZone: TEST_ZONE } : { primaryRegion: region }),
        ...config,
      }),
      root: ROOT,
      // Another primary region's or other settings' templates in a cache of their own: the
      // console's reader takes the newest file of a stage in TEMPLATE_CACHE, which must stay the
      // default ones.
      cacheDir: variant ? `${TEMPLATE_CACHE}-${variant}` : TEMPLATE_CACHE,
      lookupContextFile: LOOKUP_CONTEXT_FIXTURE,
    });
    return stacks;
  });
}

/** A stage's templates, one per region, as the plan reads them, from the shared template cache. */
export async function cachedTemplates(
  stage: Stage,
  config: InfraConfigInput = {},
  primaryRegion?: string,
): Promise<RegionTemplate[]> {
  return (await cachedStacks(stage, config, primaryRegion)).map((stack) => ({
    region: stack.region,
    ...stack.template,
  }));
}

/**
 * Every stage's inventory as `growstack plan` counts it: from its synthesized templates in the
 * shared template cache, the stages without containers in `primaryRegion`.
 */
export async function templateInventories(primaryRegion?: string): Promise<Map<Stage, Inventory>> {
  const inventories = new Map<Stage, Inventory>();
  for (const stage of STAGES)
    inventories.set(stage, inventoryFromTemplates(await cachedTemplates(stage, {}, primaryRegion)));
  return inventories;
}
