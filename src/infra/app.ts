import { App } from 'aws-cdk-lib';
import { EKS_USE_NATIVE_OIDC_PROVIDER } from 'aws-cdk-lib/cx-api';
import { ConfigError } from '../contracts/errors.js';
import { capabilitiesOf, type Stage } from '../contracts/stages.js';
import type { InfraConfig } from './infra-config.js';
import { addNagChecks } from './nag-checks.js';
import { assertStageConfig } from './stage-config-check.js';
import { StorefrontStack } from './storefront-stack.js';

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
  /**
   * Context values the app starts with: the lookups recorded in `cdk.context.json`. Under the
   * CDK CLI its own context (`-c`, and the same file) comes on top.
   */
  readonly context?: Record<string, unknown>;
  /**
   * An intermediate deploy of a move: at most this many regions besides the primary hold a
   * replica of the table, and only their stacks are built (CloudFormation adds one replica per
   * update). Set by `-c maxReplicaRegions=N` under the CDK CLI.
   */
  readonly maxReplicaRegions?: number;
}

export interface BuiltApp {
  readonly app: App;
  readonly stacks: StorefrontStack[];
}

/** Builds the CDK app of one stage, with the cdk-nag AwsSolutions pack attached to every synth. */
export function buildApp(options: BuildOptions): BuiltApp {
  const capabilities = capabilitiesOf(options.stage);
  const app = new App({
    outdir: options.outdir,
    context: {
      // The cluster's OIDC provider as the native AWS::IAM::OIDCProvider, not the deprecated
      // custom resource (OpenIdConnectProvider) aws-cdk-lib creates without this flag.
      [EKS_USE_NATIVE_OIDC_PROVIDER]: true,
      ...options.context,
      ...(options.bundling === false ? { 'aws:cdk:bundling-stacks': [] } : {}),
    },
  });
  addNagChecks(app);
  const regions = stageRegions(options.config, capabilities.regions);
  assertStageConfig(options.stage, options.config);
  // The stage is not part of the stack name: moving to the next stage updates the same stack in
  // place (same table, same URLs) instead of deploying a second storefront beside the first.
  const stacks: StorefrontStack[] = [];
  const built = regions.slice(0, 1 + (options.maxReplicaRegions ?? regions.length));
  for (const region of built) {
    stacks.push(
      new StorefrontStack(app, `${options.config.appName}-${region}`, {
        capabilities,
        config: options.config,
        root: options.root,
        regions,
        env: { region, ...(options.config.account ? { account: options.config.account } : {}) },
        description: `Growstack storefront, ${options.stage} stage, ${region}`,
        tags: { app: 'growstack', stage: options.stage },
        // The user pool, and a zone the primary creates, live in the primary region; the others
        // read their ids through SSM parameters CDK writes into their regions.
        userPool: stacks[0]?.userPool,
        hostedZone: stacks[0]?.hostedZone,
        maxReplicaRegions: options.maxReplicaRegions,
        crossRegionReferences:
          capabilities.sessions === 'cognito' ||
          (regions.length > 1 && options.config.hostedZone?.create === true),
      }),
    );
  }
  // The secondary regions' replicas are created by the primary's global table.
  for (const stack of stacks.slice(1)) stack.addStackDependency(stacks[0] as StorefrontStack);
  return { app, stacks };
}

/** The stage's regions: the primary, then as many secondary regions as the stage runs. */
export function stageRegions(config: InfraConfig, count: number): string[] {
  const others = config.secondaryRegions.filter((region) => region !== config.primaryRegion);
  const regions = [config.primaryRegion, ...others].slice(0, count);
  if (regions.length < count)
    throw new ConfigError(
      `growstack.config.ts: secondaryRegions: the stage runs in ${count} regions; list at least ${count - 1} besides the primary`,
    );
  return regions;
}
