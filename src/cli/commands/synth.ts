import { STAGES } from '../../platform/stages.js';
import { type Command, stringFlag, UsageError } from '../command.js';

/** `growstack synth`: the CloudFormation of one stage, checked by cdk-nag, with a one-screen summary. */
export const synthCommand: Command = {
  name: 'synth',
  summary: "Synthesize a stage's AWS infrastructure (CDK) and check it with cdk-nag",
  usage: 'growstack synth --stage S [--out DIR] [--region R] [--account ID] [--alarm-email E] [--json]',
  help: [
    'Options:',
    `  --stage S          ${STAGES.join(' | ')} (required)`,
    '  --out DIR          cloud assembly folder (default: cdk.out)',
    '  --region R         primary region (default: growstack.config.ts, then us-east-1)',
    '  --account ID       12-digit account; omitted means environment-agnostic',
    '  --alarm-email E    receives alarms and budget alerts',
    '  --json             machine-readable summary',
    '',
    'Works offline with no AWS account. Exit 1 when cdk-nag reports an unacknowledged finding.',
  ].join('\n'),
  options: {
    stage: { type: 'string' },
    out: { type: 'string' },
    region: { type: 'string' },
    account: { type: 'string' },
    'alarm-email': { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(values, _positionals, io) {
    const stage = stringFlag(values, 'stage');
    if (!stage) throw new UsageError(`--stage is required (${STAGES.join(', ')})`);
    if (!(STAGES as readonly string[]).includes(stage)) {
      throw new UsageError(`--stage must be one of ${STAGES.join(', ')}, got '${stage}'`);
    }
    const { SYNTHESIZABLE_STAGES } = await import('../../infra/app.js');
    if (!(SYNTHESIZABLE_STAGES as readonly string[]).includes(stage)) {
      throw new UsageError(
        `stage '${stage}' cannot be synthesized yet (available: ${SYNTHESIZABLE_STAGES.join(', ')})`,
      );
    }
    const { loadInfraConfig, synthesize } = await import('../../infra/synthesize.js');
    const config = await loadInfraConfig(process.cwd(), {
      primaryRegion: stringFlag(values, 'region'),
      account: stringFlag(values, 'account'),
      alarmEmail: stringFlag(values, 'alarm-email'),
    });
    const { formatSynthSummary } = await import('../../infra/synth-summary.js');
    if (!values.json) io.err(`synthesizing ${stage}… (bundles the Lambda functions)`);
    const summary = await synthesize({
      stage: stage as (typeof STAGES)[number],
      outdir: stringFlag(values, 'out') ?? 'cdk.out',
      root: process.cwd(),
      config,
    });
    io.out(values.json ? JSON.stringify(summary, null, 2) : formatSynthSummary(summary));
    return summary.nag.unacknowledged.length > 0 ? 1 : 0;
  },
};
