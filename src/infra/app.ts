import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError } from '../platform/errors.js';
import { capabilitiesOf, type Stage } from '../platform/stages.js';
import type { InfraConfig } from './infra-config.js';
import { StorefrontStack } from './storefront-stack.js';

/** Stages whose CDK composition has landed; the others say so instead of synthesizing half. */
export const SYNTHESIZABLE_STAGES: readonly Stage[] = ['startup', 'growing'];

export interface BuildOptions {
  readonly stage: Stage;
  readonly config: InfraConfig;
  /** Cloud assembly folder. */
  readonly outdir: string;
  /** Repository root. */
  readonly root: string;
}

export interface BuiltApp {
  readonly app: App;
  readonly stacks: StorefrontStack[];
}

/** Builds the CDK app of one stage, with the cdk-nag AwsSolutions pack attached to every synth. */
export function buildApp(options: BuildOptions): BuiltApp {
  if (!SYNTHESIZABLE_STAGES.includes(options.stage)) {
    throw new ConfigError(
      `stage '${options.stage}' cannot be synthesized yet (available: ${SYNTHESIZABLE_STAGES.join(', ')})`,
    );
  }
  const capabilities = capabilitiesOf(options.stage);
  const app = new App({ outdir: options.outdir });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const region = options.config.primaryRegion;
  const stack = new StorefrontStack(app, `${options.config.appName}-${options.stage}-${region}`, {
    capabilities,
    config: options.config,
    root: options.root,
    env: { region, ...(options.config.account ? { account: options.config.account } : {}) },
    description: `Growstack storefront, ${options.stage} stage, ${region}`,
    tags: { app: 'growstack', stage: options.stage },
  });
  return { app, stacks: [stack] };
}
