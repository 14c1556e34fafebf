import type { StackProps } from 'aws-cdk-lib';
import type { IHostedZone } from 'aws-cdk-lib/aws-route53';
import type { StageCapabilities } from '../contracts/stages.js';
import type { StorefrontUserPool } from './constructs/user-pool.js';
import type { InfraConfig } from './infra-config.js';

export interface StorefrontStackProps extends StackProps {
  readonly capabilities: StageCapabilities;
  readonly config: InfraConfig;
  /** Repository root: where the function entries, the Dockerfile and web/dist are found. */
  readonly root: string;
  /** Every region of the stage, the primary first; this stack serves `env.region`. */
  readonly regions: readonly string[];
  /** The primary region's user pool (enterprise), which every region's API signs users in through. */
  readonly userPool?: StorefrontUserPool | undefined;
  /** The zone the primary region's stack created (`hostedZone.create`), for the other regions. */
  readonly hostedZone?: IHostedZone | undefined;
  /**
   * At most this many regions besides the primary get a replica of the table. CloudFormation
   * adds or removes one replica per update of a global table, so a move that adds two deploys
   * the primary once with one more replica first (`growstack migrate` prints the steps).
   * @default every region of the stage
   */
  readonly maxReplicaRegions?: number | undefined;
}
