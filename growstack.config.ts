import type { InfraConfigInput } from './src/infra/infra-config.js';

/**
 * Deployment settings for `growstack synth` and `cdk deploy`. Every field is optional; the
 * defaults are in src/infra/infra-config.ts. Flags (--region, --account, --alarm-email) win.
 */
export const config: InfraConfigInput = {
  primaryRegion: 'us-east-1',
  alarmEmail: 'ops@example.com',
  monthlyBudgetUsd: 200,
};
