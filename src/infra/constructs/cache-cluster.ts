import { RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import { type ISecurityGroup, type IVpc, Peer, Port, SecurityGroup, SubnetType } from 'aws-cdk-lib/aws-ec2';
import { CfnReplicationGroup, CfnSubnetGroup } from 'aws-cdk-lib/aws-elasticache';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge } from '../acknowledge.js';

export interface CacheClusterProps {
  readonly vpc: IVpc;
  readonly nodeType: string;
}

/** Not 6379: scanners try the default port first (cdk-nag AwsSolutions-AEC5). */
export const CACHE_PORT = 6380;

/**
 * The region's Valkey (Redis-compatible) cache for sessions, product listings and rate limits: a
 * primary and a replica in two zones with automatic failover, in isolated subnets (no route to
 * or from the internet), TLS in transit, encrypted at rest, AUTH token generated into Secrets
 * Manager. Only the API tasks' security group may connect.
 */
export class CacheCluster extends Construct {
  readonly securityGroup: SecurityGroup;
  readonly authToken: Secret;
  readonly replicationGroup: CfnReplicationGroup;
  /** `rediss://<primary endpoint>:<port>` for REDIS_URL. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: CacheClusterProps) {
    super(scope, id);
    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Valkey cache: reachable only from the API tasks',
      allowAllOutbound: false,
    });
    this.authToken = new Secret(this, 'AuthToken', {
      description: 'AUTH token of the Growstack cache',
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: 'token',
        // ElastiCache AUTH tokens: 16-128 printable characters, none of @ " /.
        excludeCharacters: '@"/\\\'` ',
        passwordLength: 64,
      },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledge(this.authToken, {
      'AwsSolutions-SMG4':
        'ElastiCache AUTH tokens rotate through ModifyReplicationGroup with ROTATE, not through a Secrets Manager rotation function; rotating is a runbook step.',
    });
    const subnets = new CfnSubnetGroup(this, 'Subnets', {
      description: 'Isolated subnets of the Growstack cache',
      subnetIds: props.vpc.selectSubnets({ subnetType: SubnetType.PRIVATE_ISOLATED }).subnetIds,
    });
    this.replicationGroup = new CfnReplicationGroup(this, 'ReplicationGroup', {
      replicationGroupDescription: 'Growstack sessions, product cache and rate limits',
      engine: 'valkey',
      engineVersion: '8.0',
      cacheNodeType: props.nodeType,
      numCacheClusters: 2,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      port: CACHE_PORT,
      cacheSubnetGroupName: subnets.ref,
      securityGroupIds: [this.securityGroup.securityGroupId],
      transitEncryptionEnabled: true,
      atRestEncryptionEnabled: true,
      authToken: SecretValue.secretsManager(this.authToken.secretArn, { jsonField: 'token' }).unsafeUnwrap(),
      snapshotRetentionLimit: 1,
    });
    this.url = `rediss://${this.replicationGroup.attrPrimaryEndPointAddress}:${CACHE_PORT}`;
  }

  /** Lets a security group (the API tasks') connect to the cache port. */
  allowFrom(peer: ISecurityGroup): void {
    this.securityGroup.addIngressRule(
      Peer.securityGroupId(peer.securityGroupId),
      Port.tcp(CACHE_PORT),
      'API tasks',
    );
  }
}
