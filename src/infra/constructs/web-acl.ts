import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration, CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface WebAclProps {
  /** CLOUDFRONT (created in us-east-1, attached to the distribution) or REGIONAL (the load balancer). */
  readonly scope: 'CLOUDFRONT' | 'REGIONAL';
  /**
   * Requests per client address per 5 minutes before WAF blocks that address.
   * @default no rate rule: behind CloudFront every request reaches a regional ACL from one of
   * CloudFront's own edge addresses, so a rate rule there would count edges, not clients.
   */
  readonly ratePer5Min?: number | undefined;
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

/** The label the common rule set's body-size rule puts on a request whose body is over 8 KB. */
export const LARGE_BODY_LABEL = 'awswaf:managed:aws:core-rule-set:SizeRestrictions_Body';

/** Request headers WAF never writes to its logs: the bearer token is a 7-day credential. */
export const REDACTED_HEADERS = ['authorization'] as const;

/**
 * A WAF web ACL: a per-client rate-based rule (at the edge), then AWS's managed IP reputation,
 * common (OWASP), known-bad-inputs and SQL-injection rule groups, with every request logged to
 * CloudWatch Logs (WAF requires the log group name to start with `aws-waf-logs-`), the
 * Authorization header redacted.
 *
 * The common rule set blocks bodies over 8 KB (SizeRestrictions_BODY) while the API accepts up to
 * 1 MB (it answers 413 beyond): that rule only counts here and labels the request, and a rule of
 * our own blocks a labelled request unless it goes to /api/, where the API's own limit applies.
 * Nothing outside /api/ takes a body (the UI is static files).
 */
export class WebAcl extends Construct {
  readonly acl: CfnWebACL;
  readonly logging: CfnLoggingConfiguration;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    // Sampled requests would show every header, the bearer token included, in the console for
    // three hours; the logs (redacted) are the record instead.
    const visibility = (name: string) => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: false,
      metricName: name,
    });
    const rateRule =
      props.ratePer5Min === undefined
        ? []
        : [
            {
              name: 'RatePerIp',
              action: { block: {} },
              statement: { rateBasedStatement: { limit: props.ratePer5Min, aggregateKeyType: 'IP' } },
              visibilityConfig: visibility('RatePerIp'),
            },
          ];
    const managed = MANAGED_RULE_GROUPS.map((name) => ({
      name,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name,
          ...(name === 'AWSManagedRulesCommonRuleSet'
            ? { ruleActionOverrides: [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }] }
            : {}),
        },
      },
      visibilityConfig: visibility(name),
    }));
    const largeBodyOutsideApi = {
      name: 'LargeBodyOutsideApi',
      action: { block: {} },
      statement: {
        andStatement: {
          statements: [
            { labelMatchStatement: { scope: 'LABEL', key: LARGE_BODY_LABEL } },
            {
              notStatement: {
                statement: {
                  byteMatchStatement: {
                    fieldToMatch: { uriPath: {} },
                    positionalConstraint: 'STARTS_WITH',
                    searchString: '/api/',
                    textTransformations: [{ priority: 0, type: 'NONE' }],
                  },
                },
              },
            },
          ],
        },
      },
      visibilityConfig: visibility('LargeBodyOutsideApi'),
    };
    this.acl = new CfnWebACL(this, 'Acl', {
      scope: props.scope,
      ...(props.name ? { name: props.name } : {}),
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`growstack-${props.scope.toLowerCase()}`),
      rules: [...rateRule, ...managed, largeBodyOutsideApi].map((rule, priority) => ({ ...rule, priority })),
    });
    const logGroupName = `aws-waf-logs-growstack-${props.scope.toLowerCase()}-${this.node.addr.slice(0, 8)}`;
    const logs = new LogGroup(this, 'Logs', {
      logGroupName,
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.logging = new CfnLoggingConfiguration(this, 'Logging', {
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
      // https://docs.aws.amazon.com/waf/latest/developerguide/logging-management.html: a redacted
      // field is logged as REDACTED.
      redactedFields: REDACTED_HEADERS.map((name) => ({ singleHeader: { Name: name } })),
    });
    this.logging.node.addDependency(logs);
  }

  /** Attaches this (regional) ACL to a load balancer or API stage. */
  associate(id: string, resourceArn: string): void {
    new CfnWebACLAssociation(this, id, { resourceArn, webAclArn: this.acl.attrArn });
  }
}
