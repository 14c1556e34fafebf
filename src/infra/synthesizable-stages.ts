import type { Stage } from '../platform/stages.js';

/**
 * Stages whose CDK composition has landed. The others say so instead of synthesizing half a
 * stage. Kept apart from the CDK app so the CLI can refuse without loading aws-cdk-lib.
 */
export const SYNTHESIZABLE_STAGES: readonly Stage[] = ['startup', 'growing'];

/** Whether `growstack synth` can build this stage yet. */
export function isSynthesizable(stage: Stage): boolean {
  return SYNTHESIZABLE_STAGES.includes(stage);
}

/** The one-line refusal for a stage that cannot be synthesized yet. */
export function notSynthesizableMessage(stage: Stage): string {
  return `stage '${stage}' is not available yet: its infrastructure cannot be synthesized yet (available: ${SYNTHESIZABLE_STAGES.join(', ')})`;
}
