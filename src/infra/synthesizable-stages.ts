import { ConfigError } from '../contracts/errors.js';
import { capabilitiesOf, type Stage } from '../contracts/stages.js';
import type { InfraConfig } from './infra-config.js';

/**
 * Stages whose CDK composition has landed. The others say so instead of synthesizing half a
 * stage. Kept apart from the CDK app so the CLI can refuse without loading aws-cdk-lib.
 */
export const SYNTHESIZABLE_STAGES: readonly Stage[] = ['startup', 'growing', 'scaling', 'enterprise'];

/** Whether `growstack synth` can build this stage yet. */
export function isSynthesizable(stage: Stage): boolean {
  return SYNTHESIZABLE_STAGES.includes(stage);
}

/** The one-line refusal for a stage that cannot be synthesized yet. */
export function notSynthesizableMessage(stage: Stage): string {
  return `stage '${stage}' is not available yet: its infrastructure cannot be synthesized yet (available: ${SYNTHESIZABLE_STAGES.join(', ')})`;
}

/**
 * Refuses settings a stage cannot be built with, in one line naming the setting: from scaling on,
 * the API's latency records need a hosted zone, and CloudFront's WAF ties the primary region to
 * us-east-1.
 */
export function assertStageConfig(stage: Stage, config: InfraConfig): void {
  if (config.hostedZone && config.primaryRegion !== 'us-east-1')
    throw new ConfigError(
      `growstack.config.ts: primaryRegion: must be us-east-1 when hostedZone is set (CloudFront takes its certificate from there)`,
    );
  if (capabilitiesOf(stage).api.compute === 'lambda') return;
  if (!config.hostedZone)
    throw new ConfigError(
      `growstack.config.ts: hostedZone: required at stage '${stage}' (the API's latency records and failover live in a Route 53 zone: an existing one's hostedZoneId, or create: true)`,
    );
  if (config.primaryRegion !== 'us-east-1')
    throw new ConfigError(
      `growstack.config.ts: primaryRegion: must be us-east-1 at stage '${stage}' (CloudFront's WAF web ACL is created there)`,
    );
}
