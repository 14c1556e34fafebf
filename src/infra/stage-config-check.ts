import { ConfigError } from '../contracts/errors.js';
import { capabilitiesOf, type Stage } from '../contracts/stages.js';
import type { InfraConfig } from './infra-config.js';

/**
 * Refuses settings a stage cannot be built with, in one line naming the setting: from scaling on,
 * the API's latency records need a hosted zone, and CloudFront's WAF ties the primary region to
 * us-east-1. Kept apart from the CDK app so the CLI can refuse before it loads aws-cdk-lib.
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
