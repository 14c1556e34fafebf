import { type IVpc, Peer, Port, SecurityGroup } from 'aws-cdk-lib/aws-ec2';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeSdkCallProvider } from '../acknowledge.js';

/** The addresses CloudFront connects to origins from, one AWS-managed prefix list in every region. */
export const CLOUDFRONT_ORIGIN_FACING = 'com.amazonaws.global.cloudfront.origin-facing';

/**
 * The addresses Route 53's health checkers connect from, as the region's AWS-managed prefix list
 * names them (https://docs.aws.amazon.com/vpc/latest/userguide/working-with-aws-managed-prefix-lists.html).
 */
export const route53HealthCheckers = (region: string) => `com.amazonaws.${region}.route53-healthchecks`;

export interface CloudFrontOnlyIngressProps {
  readonly vpc: IVpc;
  readonly region: string;
  /** @default 443 */
  readonly port?: number;
}

/**
 * The security groups of a load balancer only CloudFront may reach: HTTPS from CloudFront's
 * origin-facing addresses, and from Route 53's health checkers (which poll `/api/health` on the
 * load balancer itself, not through CloudFront). Two groups, because a prefix list counts as its
 * maximum size against the 60 rules a group may hold: CloudFront's weighs 55, Route 53's 25
 * (https://docs.aws.amazon.com/vpc/latest/userguide/working-with-aws-managed-prefix-lists.html).
 *
 * The lists' ids differ per region and account and are found at deploy time by a
 * `DescribeManagedPrefixLists` call (an SDK call custom resource) rather than by a CDK context
 * lookup: a lookup needs `account` at synth and a cached context file, and the synth must work
 * offline and environment-agnostic; the call costs one small function per stack.
 */
export class CloudFrontOnlyIngress extends Construct {
  /** HTTPS from CloudFront's origin-facing addresses. */
  readonly cloudFront: SecurityGroup;
  /** HTTPS from Route 53's health checkers. */
  readonly healthCheckers: SecurityGroup;

  constructor(scope: Construct, id: string, props: CloudFrontOnlyIngressProps) {
    super(scope, id);
    const port = Port.tcp(props.port ?? 443);
    this.cloudFront = new SecurityGroup(this, 'CloudFront', {
      vpc: props.vpc,
      description: 'API load balancer: HTTPS from CloudFront origin-facing addresses only',
      allowAllOutbound: false,
    });
    this.cloudFront.addIngressRule(
      Peer.prefixList(this.prefixListId('CloudFrontPrefixList', CLOUDFRONT_ORIGIN_FACING)),
      port,
      'HTTPS from CloudFront',
    );
    this.healthCheckers = new SecurityGroup(this, 'HealthCheckers', {
      vpc: props.vpc,
      description: 'API load balancer: HTTPS from Route 53 health checkers only',
      allowAllOutbound: false,
    });
    this.healthCheckers.addIngressRule(
      Peer.prefixList(this.prefixListId('HealthCheckerPrefixList', route53HealthCheckers(props.region))),
      port,
      'HTTPS from Route 53 health checkers',
    );
    acknowledgeSdkCallProvider(this);
  }

  /** Both groups, for the load balancer. */
  get securityGroups(): SecurityGroup[] {
    return [this.cloudFront, this.healthCheckers];
  }

  /** The id of an AWS-managed prefix list in this region, by its name, at deploy time. */
  private prefixListId(id: string, name: string): string {
    const lookup = new AwsCustomResource(this, id, {
      onUpdate: {
        service: 'EC2',
        action: 'describeManagedPrefixLists',
        parameters: { Filters: [{ Name: 'prefix-list-name', Values: [name] }] },
        physicalResourceId: PhysicalResourceId.of(name),
        outputPaths: ['PrefixLists.0.PrefixListId'],
      },
      policy: AwsCustomResourcePolicy.fromSdkCalls({ resources: AwsCustomResourcePolicy.ANY_RESOURCE }),
      installLatestAwsSdk: false,
    });
    acknowledge(lookup, {
      'AwsSolutions-IAM5[Resource::*]':
        'ec2:DescribeManagedPrefixLists takes no resource-level permissions; the call only reads the id of an AWS-managed list.',
    });
    return lookup.getResponseField('PrefixLists.0.PrefixListId');
  }
}
