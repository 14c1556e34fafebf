import { join, resolve } from 'node:path';
import { isStage, STAGES } from '../../contracts/stages.js';
import { type Command, stringFlag, UsageError } from '../command.js';

/** `growstack synth`: the CloudFormation of one stage, checked by cdk-nag, with a one-screen summary. */
export const synthCommand: Command = {
  name: 'synth',
  summary: "Synthesize a stage's AWS infrastructure (CDK) and check it with cdk-nag",
  usage:
    'growstack synth --stage S [--out DIR] [--region R] [--account ID] [--alarm-email E] [--compliance nist,hipaa,pci] [--report FILE] [--json]',
  help: [
    'Options:',
    `  --stage S          ${STAGES.join(' | ')} (required)`,
    '  --out DIR          cloud assembly folder (default: cdk.out)',
    '  --region R         primary region (default: growstack.config.ts, then us-east-1)',
    '  --account ID       12-digit account; omitted means environment-agnostic',
    '  --alarm-email E    receives alarms and budget alerts',
    '  --compliance LIST  also run cdk-nag packs nist (800-53 rev 5), hipaa (Security), pci (DSS 3.2.1);',
    '                     reported, not gating (enterprise runs all three)',
    '  --report FILE      write the compliance report (Markdown): every rule that ran, its status,',
    '                     and each finding with its acknowledgement reason (enterprise: DIR/compliance-report.md)',
    '  --json             machine-readable summary',
    '',
    'Also writes the stage map into the assembly: DIR/stage-map.svg and DIR/stage-map.mmd (Mermaid),',
    'drawn from the synthesized templates.',
    '',
    'Works offline with no AWS account. With an account set, the availability zones come from',
    "cdk.context.json (recorded by 'npx cdk synth -c stage=S' with credentials); while a lookup is",
    'missing there, nothing is written and it exits 1 naming it. Exit 1 too when cdk-nag reports',
    'an unacknowledged finding.',
  ].join('\n'),
  options: {
    stage: { type: 'string' },
    out: { type: 'string' },
    region: { type: 'string' },
    account: { type: 'string' },
    'alarm-email': { type: 'string' },
    compliance: { type: 'string' },
    report: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(values, _positionals, io) {
    const stage = stringFlag(values, 'stage');
    if (!stage) throw new UsageError(`--stage is required (${STAGES.join(', ')})`);
    if (!isStage(stage)) throw new UsageError(`--stage must be one of ${STAGES.join(', ')}, got '${stage}'`);
    const root = process.cwd();
    // Every setting and the output folder are checked before anything is bundled or written.
    const { loadInfraConfig } = await import('../../infra/infra-config.js');
    const config = await loadInfraConfig(root, {
      primaryRegion: stringFlag(values, 'region'),
      account: stringFlag(values, 'account'),
      alarmEmail: stringFlag(values, 'alarm-email'),
    });
    const { assertReplaceable, synthesize } = await import('../../infra/synthesize.js');
    const outdir = resolve(stringFlag(values, 'out') ?? 'cdk.out');
    assertReplaceable(outdir);
    const { COMPLIANCE_PACKS, isCompliancePack } = await import('../../infra/compliance.js');
    const requested = (stringFlag(values, 'compliance') ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean);
    const unknown = requested.find((name) => !isCompliancePack(name));
    if (unknown !== undefined)
      throw new UsageError(
        `--compliance must list packs from ${Object.keys(COMPLIANCE_PACKS).join(', ')}, got '${unknown}'`,
      );
    const compliance = stage === 'enterprise' ? Object.keys(COMPLIANCE_PACKS) : requested;
    // At enterprise the packs always run; their report goes into the assembly unless placed.
    const report =
      stringFlag(values, 'report') ??
      (stage === 'enterprise' ? join(outdir, 'compliance-report.md') : undefined);
    if (compliance.length > 0 && !report)
      throw new UsageError('--compliance needs --report FILE: the packs are reported, not gating');
    const { formatSynthSummary } = await import('../../infra/synth-summary.js');
    const { assertStageConfig } = await import('../../infra/stage-config-check.js');
    assertStageConfig(stage, config);
    if (!values.json) io.err(`synthesizing ${stage}… (bundles the Lambda functions)`);
    const summary = await synthesize({
      stage,
      outdir,
      root,
      config,
      compliance: compliance.filter(isCompliancePack),
      ...(report ? { reportFile: resolve(report) } : {}),
    });
    const { writeStageMap } = await import('./synth-stage-map.js');
    const stageMap = writeStageMap(stage, outdir, summary.stacks);
    io.out(
      values.json
        ? JSON.stringify({ ...summary, stageMap }, null, 2)
        : `${formatSynthSummary(summary)}\nstage map: ${stageMap.svg} (Mermaid: ${stageMap.mermaid})`,
    );
    return summary.nag.unacknowledged.length > 0 ? 1 : 0;
  },
};
