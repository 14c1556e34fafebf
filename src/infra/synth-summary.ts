import type { SynthSummary } from './synthesize.js';

/** The one-screen human summary of a synth. */
export function formatSynthSummary(summary: SynthSummary): string {
  const lines = [
    `Stage ${summary.stage}: ${summary.stacks.length} stack(s) in ${summary.outdir} (${summary.seconds} s)`,
  ];
  for (const stack of summary.stacks) {
    const total = Object.values(stack.resources).reduce((sum, count) => sum + count, 0);
    lines.push('', `${stack.name} (${stack.region}): ${total} resources`);
    for (const [type, count] of Object.entries(stack.resources))
      lines.push(`  ${String(count).padStart(3)}  ${type}`);
  }
  lines.push(
    '',
    `web UI: ${summary.webUi === 'built' ? 'web/dist deployed' : 'not built, a placeholder page is deployed'}`,
  );
  const { unacknowledged, acknowledged } = summary.nag;
  lines.push(
    `cdk-nag (AwsSolutions): ${unacknowledged.length} unacknowledged, ${acknowledged.length} acknowledged with reasons`,
  );
  for (const finding of unacknowledged)
    lines.push(`  ${finding.severity.toUpperCase()} ${finding.rule} at ${finding.resource}`);
  return lines.join('\n');
}
