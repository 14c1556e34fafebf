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
    'growstack plan [--users N] [--profile FILE] [--stage S|all] [--region R] [--json] [--html FILE] [--strict]',
  help: [
    'Options:',
    '  --users N        monthly active users (default 10000; overrides the profile file)',
    '  --profile FILE   JSON usage profile; every field is optional and its default is printed with the plan',
    `  --stage S        ${STAGES.join(' | ')} | all (default all)`,
    '  --region R       us-east-1 (default) or eu-west-1: whose prices to use',
    '  --json           the plan as JSON: per stage, services with lines (fixed or usage), totals, notes',
    '  --html FILE      also write a self-contained report with a stacked-bar chart (works offline)',
    '  --strict         exit 1 when any line is not priced (the plan names each; its total is a lower bound)',
    '',
    'Stages whose CDK code exists are priced from their synthesized CloudFormation (synthesized once',
    'without bundling, then cached in .growstack/plan until src/infra or growstack.config.ts change);',
    'the others from the stage table, and the plan says so.',
  ].join('\n'),
  options: {
    users: { type: 'string' },
    profile: { type: 'string' },
    stage: { type: 'string' },
    region: { type: 'string' },
    json: { type: 'boolean' },
    html: { type: 'string' },
    strict: { type: 'boolean' },
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
    const profile = parseProfile(profileFile ? readJsonFlag('profile', profileFile) : {}, users);
    const html = stringFlag(values, 'html');
    if (html) assertWritable('html', html);

    const { inventoriesOf } = await import('../../cost/plan/inventories.js');
    const { planStages } = await import('../../cost/plan/plan.js');
    const { planTemplateSource } = await import('../../infra/plan-templates.js');
    const inventories = await inventoriesOf(stages, {
      templatesOf: planTemplateSource(process.cwd()),
      region,
      onSynth: (stage) => io.err(`synthesizing ${stage} for the plan (once; cached in .growstack/plan)…`),
    });
    const plan = planStages({ profile, region, inventories });
    if (html) {
      const { planHtml } = await import('../../cost/plan/plan-html.js');
      try {
        writeFileSync(resolve(html), planHtml(plan, new Date()));
      } catch (error) {
        const reason = error instanceof Error && 'code' in error ? String(error.code) : 'failed';
        throw new CommandFailure(`--html ${html}: cannot write there (${reason})`);
      }
    }
    if (values.json) io.out(JSON.stringify(plan, null, 2));
    else {
      const { formatPlan } = await import('../../cost/plan/format-plan.js');
      io.out(formatPlan(plan));
      if (html) io.out(`\nreport written to ${html}`);
    }
    const incomplete = plan.stages.filter((stage) => !stage.complete);
    if (values.strict && incomplete.length > 0)
      throw new CommandFailure(
        `--strict: ${incomplete.map((stage) => `${stage.stage} has ${stage.unpriced.length} line${stage.unpriced.length === 1 ? '' : 's'} not priced`).join(', ')} in ${region}`,
      );
    return 0;
  },
};
