import { NAG_PACK } from './nag-checks.js';
import type { NagFinding, SynthSummary } from './synthesize.js';

/** The one-screen human summary of a synth. */
export function formatSynthSummary(summary: SynthSummary): string {
  const lines = [
    `Stage ${summary.stage}: ${summary.stacks.length} stack(s) in ${summary.outdir} (${summary.seconds} s)`,
  ];
  // First, where nobody scrolls past it: deploying this would replace the storefront with a stub.
  if (summary.webUi === 'placeholder')
    lines.unshift(
      'WARNING: web/dist not found: this assembly deploys a placeholder page, not the storefront (the API works).',
      '         Run `npm run build`, then synth again, to deploy the web UI.',
      '',
    );
  for (const stack of summary.stacks) {
    const total = Object.values(stack.resources).reduce((sum, count) => sum + count, 0);
    lines.push('', `${stack.name} (${stack.region}): ${total} resources`);
    for (const [type, count] of Object.entries(stack.resources))
      lines.push(`  ${String(count).padStart(3)}  ${type}`);
  }
  const { unacknowledged, acknowledged } = summary.nag;
  const ofPack = (findings: NagFinding[], own: boolean) =>
    findings.filter((finding) => (finding.plugin === NAG_PACK) === own);
  lines.push(
    '',
    `cdk-nag (${NAG_PACK}): ${ofPack(unacknowledged, true).length} unacknowledged, ${ofPack(acknowledged, true).length} acknowledged with reasons`,
    `CDK template validation: ${ofPack(unacknowledged, false).length} findings, ${ofPack(acknowledged, false).length} acknowledged`,
  );
  for (const finding of unacknowledged)
    lines.push(`  ${finding.severity.toUpperCase()} ${finding.rule} at ${finding.resource}`);
  if (summary.compliance) {
    lines.push(`compliance report: ${summary.compliance.report}`);
    for (const [pack, counts] of Object.entries(summary.compliance.packs)) {
      const parts = Object.entries(counts).map(([status, count]) => `${count} ${status}`);
      lines.push(`  ${pack}: ${parts.join(', ')}`);
    }
  }
  if (summary.kubernetes?.length) {
    lines.push('Kubernetes manifests (applied by the stacks, written for review):');
    for (const file of summary.kubernetes) lines.push(`  ${file}`);
  }
  for (const note of summary.notes) lines.push(`note: ${note}`);
  return lines.join('\n');
}
