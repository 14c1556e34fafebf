import { join } from 'node:path';
import { isStage, STAGES, type Stage } from '../../contracts/stages.js';
import { type Command, stringFlag, UsageError } from '../command.js';

function stageFlag(values: Parameters<Command['run']>[0], name: string): Stage {
  const stage = stringFlag(values, name);
  if (!stage) throw new UsageError(`--${name} is required (${STAGES.join(', ')})`);
  if (!isStage(stage)) throw new UsageError(`--${name} must be one of ${STAGES.join(', ')}, got '${stage}'`);
  return stage;
}

/** `growstack migrate`: the ordered, checked steps from one stage's deployment to another's. */
export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Print the ordered steps that move a deployment from one stage to another, and check them',
  usage: 'growstack migrate --from A --to B [--json]',
  help: [
    'Options:',
    `  --from A     the stage deployed now: ${STAGES.join(' | ')}`,
    '  --to B       the stage to move to',
    '  --json       the steps, changes and verdict as JSON',
    '',
    'Synthesizes both stages from growstack.config.ts (without bundling; cached in .growstack/templates',
    "until src/infra or the settings change), compares every region's stack with the CDK's own diff,",
    'and prints the deploys in order (global-table replicas one per deploy, stacks of dropped regions',
    'deleted first), what each replaces, retains, orphans or destroys, DNS records checked against',
    "Route 53's same-name rules, and the data moves with their commands. Works offline.",
    '',
    'Exit 0 when every step is safe; 1 when a step would replace or delete a table, a bucket that',
    'holds data, the user pool, the hosted zone or the search domain with no data move that keeps',
    'its contents; 2 on a usage or settings error.',
  ].join('\n'),
  options: { from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean' } },
  async run(values, _positionals, io) {
    const from = stageFlag(values, 'from');
    const to = stageFlag(values, 'to');
    if (from === to) throw new UsageError(`--from and --to are both '${from}': nothing to move`);
    const root = process.cwd();
    const { loadInfraConfig } = await import('../../infra/infra-config.js');
    const { assertStageConfig } = await import('../../infra/stage-config-check.js');
    const config = await loadInfraConfig(root);
    assertStageConfig(from, config);
    assertStageConfig(to, config);
    const { cachedStageTemplates } = await import('../../infra/template-cache.js');
    const templatesOf = (stage: Stage) =>
      cachedStageTemplates({
        stage,
        config,
        root,
        cacheDir: join(root, '.growstack', 'templates'),
        onSynth: () => {
          if (!values.json) io.err(`synthesizing ${stage} (once; cached in .growstack/templates)…`);
        },
      });
    const [before, after] = [await templatesOf(from), await templatesOf(to)];
    const { planMove } = await import('../../infra/stage-move.js');
    const plan = planMove(from, to, before.stacks, after.stacks);
    if (values.json) io.out(JSON.stringify(plan, null, 2));
    else {
      const { formatMovePlan } = await import('../../infra/move-summary.js');
      io.out(formatMovePlan(plan));
    }
    return plan.safe ? 0 : 1;
  },
};
