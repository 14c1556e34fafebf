import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration, CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface WebAclProps {
  /** CLOUDFRONT (created in us-east-1, attached to the distribution) or REGIONAL (the load balancer). */
  readonly scope: 'CLOUDFRONT' | 'REGIONAL';
  /** Requests per IP per 5 minutes before WAF blocks that IP. */
  readonly ratePer5Min: number;
  /** A fixed name, for attaching the ACL by name (the Kubernetes load balancer controller does). */
  readonly name?: string;
}

/** AWS managed rule groups every ACL runs, in this order, after the rate rule. */
export const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesSQLiRuleSet',
] as const;

/**
 * A WAF web ACL: a per-IP rate-based rule, then AWS's managed IP reputation, common (OWASP),
 * known-bad-inputs and SQL-injection rule groups, with every request logged to CloudWatch Logs
 * (WAF requires the log group name to start with `aws-waf-logs-`).
 */
export class WebAcl extends Construct {
  readonly acl: CfnWebACL;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    const visibility = (name: string) => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: name,
    });
    this.acl = new CfnWebACL(this, 'Acl', {
      scope: props.scope,
      ...(props.name ? { name: props.name } : {}),
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`growstack-${props.scope.toLowerCase()}`),
      rules: [
        {
          name: 'RatePerIp',
          priority: 0,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: props.ratePer5Min, aggregateKeyType: 'IP' } },
          visibilityConfig: visibility('RatePerIp'),
        },
        ...MANAGED_RULE_GROUPS.map((name, index) => ({
          name,
          priority: index + 1,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
          visibilityConfig: visibility(name),
        })),
      ],
    });
    const logGroupName = `aws-waf-logs-growstack-${props.scope.toLowerCase()}-${this.node.addr.slice(0, 8)}`;
    const logs = new LogGroup(this, 'Logs', {
      logGroupName,
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const logging = new CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.acl.attrArn,
      // WAF takes the log group's ARN without the trailing `:*` that CDK's logGroupArn carries.
      logDestinationConfigs: [
        Stack.of(this).formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
    });
    logging.node.addDependency(logs);
  }

  /** Attaches this (regional) ACL to a load balancer or API stage. */
  associate(id: string, resourceArn: string): void {
    new CfnWebACLAssociation(this, id, { resourceArn, webAclArn: this.acl.attrArn });
  }
}
