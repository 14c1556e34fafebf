import type { MovePlan } from './stage-move.js';

/** The human form of a move plan: numbered steps a person can follow, then the verdict. */
export function formatMovePlan(plan: MovePlan): string {
  const lines = [
    `Move from ${plan.from} to ${plan.to}: ${plan.steps.length} step(s), ${
      plan.safe ? 'every step safe' : `NOT SAFE: ${plan.blockers.length} blocker(s), listed at the end`
    }`,
  ];
  plan.steps.forEach((step, index) => {
    lines.push('', `${index + 1}. ${step.title}`);
    if (step.command) lines.push(`   $ ${step.command}`);
    for (const [stack, counts] of Object.entries(step.counts)) {
      const region = step.stacks.find((candidate) => candidate.name === stack)?.region ?? '';
      const parts = Object.entries(counts)
        .filter(([, count]) => count > 0)
        .map(([what, count]) => `${count} ${what}`);
      lines.push(`   ${stack} (${region}): ${parts.join(', ') || 'no change'}`);
    }
    for (const change of step.changes) {
      const flag = change.safe ? '' : ' [UNSAFE]';
      lines.push(
        `   - ${change.impact}: ${change.logicalId} (${change.type}) in ${change.region}: ${change.detail}${flag}`,
      );
      if (change.dataMove) lines.push(`     data move: ${change.dataMove}`);
    }
    for (const conflict of step.conflicts) lines.push(`   - DNS conflict: ${conflict.message} [UNSAFE]`);
    for (const note of step.notes) lines.push(`   - ${note}`);
  });
  if (plan.blockers.length > 0) {
    lines.push('', 'Blockers (exit 1):');
    for (const blocker of plan.blockers) lines.push(`  - ${blocker}`);
  }
  return lines.join('\n');
}
