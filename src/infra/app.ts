import { App } from 'aws-cdk-lib';
import { ConfigError } from '../platform/errors.js';
import { capabilitiesOf, type Stage } from '../platform/stages.js';
import type { InfraConfig } from './infra-config.js';
import { addNagChecks } from './nag-checks.js';
import { StorefrontStack } from './storefront-stack.js';
import { isSynthesizable, notSynthesizableMessage } from './synthesizable-stages.js';

export interface BuildOptions {
  readonly stage: Stage;
  readonly config: InfraConfig;
  /** Cloud assembly folder. */
  readonly outdir: string;
  /** Repository root. */
  readonly root: string;
  /**
   * Bundle the functions' code (default). The cost model only reads the templates, and CDK
   * synthesizes them the same without bundling, in a fraction of the time.
   */
  readonly bundling?: boolean;
}

export interface BuiltApp {
  readonly app: App;
  readonly stacks: StorefrontStack[];
}

/** Builds the CDK app of one stage, with the cdk-nag AwsSolutions pack attached to every synth. */
export function buildApp(options: BuildOptions): BuiltApp {
  if (!isSynthesizable(options.stage)) throw new ConfigError(notSynthesizableMessage(options.stage));
  const capabilities = capabilitiesOf(options.stage);
  const app = new App({
    outdir: options.outdir,
    ...(options.bundling === false ? { context: { 'aws:cdk:bundling-stacks': [] } } : {}),
  });
  addNagChecks(app);
  const region = options.config.primaryRegion;
  // The stage is not part of the stack name: moving to the next stage updates the same stack in
  // place (same table, same URLs) instead of deploying a second storefront beside the first.
  const stack = new StorefrontStack(app, `${options.config.appName}-${region}`, {
    capabilities,
    config: options.config,
    root: options.root,
    env: { region, ...(options.config.account ? { account: options.config.account } : {}) },
    description: `Growstack storefront, ${options.stage} stage, ${region}`,
    tags: { app: 'growstack', stage: options.stage },
  });
  return { app, stacks: [stack] };
}
