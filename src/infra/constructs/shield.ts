import { CfnProtection } from 'aws-cdk-lib/aws-shield';
import type { Construct } from 'constructs';

export interface ShieldProtectionProps {
  /** A CloudFront distribution, Application Load Balancer, Elastic IP or Route 53 zone. */
  readonly resourceArn: string;
  readonly name: string;
  /** Route 53 health checks of what the resource serves: Shield's detection reads them. */
  readonly healthCheckArns?: readonly string[] | undefined;
}

/**
 * Shield Advanced protection of one resource (enterprise): DDoS detection tuned to its traffic,
 * the Shield Response Team, and DDoS cost protection. It needs the account's Shield Advanced
 * subscription (USD 3,000 a month with a one-year commitment), which CloudFormation cannot take
 * out: subscribe once in the console or with `aws shield create-subscription` before the first
 * deploy, or the protection fails to create.
 */
export function protectWithShield(scope: Construct, id: string, props: ShieldProtectionProps): CfnProtection {
  return new CfnProtection(scope, id, {
    name: props.name,
    resourceArn: props.resourceArn,
    ...(props.healthCheckArns?.length ? { healthCheckArns: [...props.healthCheckArns] } : {}),
    // Let the Shield Response Team's automatic mitigation add WAF rules during an attack.
    applicationLayerAutomaticResponseConfiguration: { action: { block: {} }, status: 'ENABLED' },
  });
}
