import { accessSync, constants, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isStage, STAGES, type Stage } from '../../contracts/stages.js';
import {
  type Command,
  CommandFailure,
  integerFlag,
  pricedRegionFlag,
  stringFlag,
  UsageError,
  WHAT_IF_HELP,
} from '../command.js';

/** Reads a JSON file given to a flag, or fails with one line naming the flag. */
export function readJsonFlag(flag: string, file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(
      `--${flag} ${file}: ${error instanceof SyntaxError ? 'not valid JSON' : 'cannot be read'}`,
    );
  }
}

/** Fails in one line, before the plan is worked out, when the report could not be written. */
function assertWritable(flag: string, file: string): void {
  const folder = dirname(resolve(file));
  const problem = !existsSync(folder)
    ? `folder '${folder}' does not exist`
    : !statSync(folder).isDirectory()
      ? `'${folder}' is not a folder`
      : !isWritable(folder)
        ? `folder '${folder}' is not writable`
        : undefined;
  if (problem) throw new CommandFailure(`--${flag} ${file}: cannot write there (${problem})`);
}

function isWritable(folder: string): boolean {
  try {
    accessSync(folder, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** `growstack plan`: every stage's monthly bill under one usage profile, side by side. */
export const planCommand: Command = {
  name: 'plan',
  summary: 'Price each stage for a usage profile, side by side, from its synthesized infrastructure',
  usage:
    'growstack plan [--users N] [--profile FILE] [--set KEY=VALUE]... [--stage S|all] [--region R] [--json] [--html FILE] [--strict] [--baseline FILE [--fail-above USD]]',
  help: [
    'Options:',
    '  --users N        monthly active users (default 10000; overrides the profile file)',
    '  --profile FILE   JSON usage profile; every field is optional and its default is printed with the plan',
    ...WHAT_IF_HELP,
    `  --stage S        ${STAGES.join(' | ')} | all (default all)`,
    '  --region R       us-east-1 (default), eu-west-1 or ap-southeast-1: the primary region; each',
    '                   region a stage deploys to is priced at its own prices',
    '  --json           the plan as JSON: per stage, services with lines (fixed or usage), totals, notes',
    '  --html FILE      also write a self-contained report (works offline): stacked bars per stage, and each',
    "                   stage's cost against users (1k-10M) with the seed's quoted ranges, fit ends and crossovers",
    '  --strict         exit 1 when any line is not priced (the plan names each; its total is a lower bound)',
    '  --baseline FILE  a previous plan --json: print the change per stage and per line (in --json: "change")',
    "  --fail-above USD with --baseline: exit 1 when any stage's monthly total rises by more than USD",
    '',
    'Every stage is priced from its synthesized CloudFormation (synthesized once without bundling,',
    'then cached in .growstack/plan until src/infra or growstack.config.ts change); the ops console',
    'prices the same cached templates.',
  ].join('\n'),
  options: {
    users: { type: 'string' },
    profile: { type: 'string' },
    stage: { type: 'string' },
    region: { type: 'string' },
    json: { type: 'boolean' },
    html: { type: 'string' },
    strict: { type: 'boolean' },
    set: { type: 'string', multiple: true },
    baseline: { type: 'string' },
    'fail-above': { type: 'string' },
  },
  async run(values, _positionals, io) {
    const users = integerFlag(values, 'users');
    if (users === 0) throw new UsageError('--users must be at least 1');
    const region = pricedRegionFlag(values);
    const stageFlag = stringFlag(values, 'stage') ?? 'all';
    if (stageFlag !== 'all' && !isStage(stageFlag))
      throw new UsageError(`--stage must be one of ${STAGES.join(', ')} or all, got '${stageFlag}'`);
    const stages: Stage[] = stageFlag === 'all' ? [...STAGES] : [stageFlag as Stage];
    const profileFile = stringFlag(values, 'profile');
    const { parseProfile } = await import('../../cost/plan/profile.js');
    const { readWhatIf } = await import('./what-if.js');
    const whatIf = readWhatIf(values);
    const fromFile = profileFile ? readJsonFlag('profile', profileFile) : {};
    const profile = parseProfile({ ...(fromFile as object), ...whatIf.profile }, users);
    const html = stringFlag(values, 'html');
    if (html) assertWritable('html', html);
    const failAboveRaw = stringFlag(values, 'fail-above');
    const baselineFile = stringFlag(values, 'baseline');
    if (failAboveRaw !== undefined && !baselineFile)
      throw new UsageError('--fail-above needs --baseline FILE to compare against');
    if (failAboveRaw !== undefined && !/^\d+(\.\d+)?$/.test(failAboveRaw))
      throw new UsageError(`--fail-above must be an amount in USD such as 50 or 12.5, got '${failAboveRaw}'`);
    const { comparePlans, formatPlanChange, parseBaseline, risesAbove } = await import(
      '../../cost/plan/plan-diff.js'
    );
    let baseline: ReturnType<typeof parseBaseline> | undefined;
    if (baselineFile) {
      try {
        baseline = parseBaseline(readJsonFlag('baseline', baselineFile));
      } catch (error) {
        if (error instanceof UsageError) throw error;
        throw new UsageError(`--baseline ${baselineFile}: ${error instanceof Error ? error.message : error}`);
      }
    }

    const { inventoriesOf } = await import('../../cost/plan/inventories.js');
    const { planStages } = await import('../../cost/plan/plan.js');
    const { planTemplateSource } = await import('../../infra/plan-templates.js');
    const inventories = await inventoriesOf(stages, {
      templatesOf: planTemplateSource(process.cwd(), whatIf.settings),
      region,
      onSynth: (stage) => io.err(`synthesizing ${stage} for the plan (once; cached in .growstack/plan)…`),
    });
    const { preferLocalPrices } = await import('./prices.js');
    await preferLocalPrices();
    const plan = planStages({ profile, region, inventories });
    if (html) {
      const { planHtml } = await import('../../cost/plan/plan-html.js');
      const { costCurve } = await import('../../cost/plan/cost-curve.js');
      const curve = costCurve({ profile, region, inventories });
      try {
        writeFileSync(resolve(html), planHtml(plan, new Date(), curve));
      } catch (error) {
        const reason = error instanceof Error && 'code' in error ? String(error.code) : 'failed';
        throw new CommandFailure(`--html ${html}: cannot write there (${reason})`);
      }
    }
    const change = baseline ? comparePlans(baseline, plan) : undefined;
    if (values.json) io.out(JSON.stringify(change ? { ...plan, change } : plan, null, 2));
    else {
      const { formatPlan } = await import('../../cost/plan/format-plan.js');
      io.out(formatPlan(plan));
      if (Object.keys(whatIf.settings).length > 0)
        io.out(
          `\nSettings for this run (--set): ${Object.entries(whatIf.settings)
            .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
            .join(', ')}`,
        );
      if (change && baselineFile) io.out(`\n${formatPlanChange(change, baselineFile)}`);
      if (html) io.out(`\nreport written to ${html}`);
    }
    if (change && failAboveRaw !== undefined) {
      const risen = risesAbove(change, Number(failAboveRaw));
      if (risen.length > 0)
        throw new CommandFailure(
          `--fail-above ${failAboveRaw}: ${risen.map((stage) => `${stage.stage} rose by $${stage.deltaUsd.toFixed(2)} a month`).join(', ')}`,
        );
    }
    const incomplete = plan.stages.filter((stage) => !stage.complete);
    if (values.strict && incomplete.length > 0)
      throw new CommandFailure(
        `--strict: ${incomplete.map((stage) => `${stage.stage} has ${stage.unpriced.length} line${stage.unpriced.length === 1 ? '' : 's'} not priced`).join(', ')} in ${region}`,
      );
    return 0;
  },
};
