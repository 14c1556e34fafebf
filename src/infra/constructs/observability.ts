import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import {
  type ApplicationLoadBalancer,
  HttpCodeElb,
  HttpCodeTarget,
} from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SubscriptionProtocol, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, UrlSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** What the alarms and the dashboard read about the API, whichever compute serves it. */
export interface ApiSignals {
  readonly requests: IMetric;
  readonly serverErrors: IMetric;
  readonly latencyP50: IMetric;
  readonly latencyP99: IMetric;
  /** 2 s in the latency metric's unit (milliseconds for API Gateway, seconds for the ALB). */
  readonly slowP99: number;
}

/** API Gateway's metrics of the REST API (startup and growing). */
export function restApiSignals(api: RestApi): ApiSignals {
  return {
    requests: api.metricCount({ period: FIVE_MINUTES, statistic: 'Sum' }),
    serverErrors: api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
    latencyP50: api.metricLatency({ period: FIVE_MINUTES, statistic: 'p50' }),
    latencyP99: api.metricLatency({ period: FIVE_MINUTES, statistic: 'p99' }),
    slowP99: 2000,
  };
}

/** The load balancer's metrics of the API containers (scaling on): 5xx from the tasks and from the ALB itself. */
export function loadBalancerSignals(loadBalancer: ApplicationLoadBalancer): ApiSignals {
  const sum = { period: FIVE_MINUTES, statistic: 'Sum' };
  return {
    requests: loadBalancer.metrics.requestCount(sum),
    serverErrors: new MathExpression({
      expression: 'target + balancer',
      label: '5xx (tasks and load balancer)',
      usingMetrics: {
        target: loadBalancer.metrics.httpCodeTarget(HttpCodeTarget.TARGET_5XX_COUNT, sum),
        balancer: loadBalancer.metrics.httpCodeElb(HttpCodeElb.ELB_5XX_COUNT, sum),
      },
      period: FIVE_MINUTES,
    }),
    latencyP50: loadBalancer.metrics.targetResponseTime({ period: FIVE_MINUTES, statistic: 'p50' }),
    latencyP99: loadBalancer.metrics.targetResponseTime({ period: FIVE_MINUTES, statistic: 'p99' }),
    slowP99: 2,
  };
}

export interface ObservabilityProps {
  /**
   * The API's CloudWatch signals. Absent on Kubernetes (enterprise), where the load balancer is
   * the controller's and the API's alerts are Prometheus rules in Managed Prometheus instead.
   */
  readonly api?: ApiSignals | undefined;
  readonly functions: readonly IFunction[];
  readonly table: ITableV2;
  readonly deadLetterQueue?: Queue | undefined;
  readonly alarmEmail: string;
  /**
   * A paging service's HTTPS endpoint for CloudWatch alarms through SNS (PagerDuty's
   * `https://events.pagerduty.com/integration/<key>/enqueue`); the e-mail only without it.
   */
  readonly pagingUrl?: string | undefined;
}

const FIVE_MINUTES = Duration.minutes(5);

/** Alarms that page the alarm e-mail through SNS, and one dashboard of the same signals. */
export class Observability extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  private readonly key: Key;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    // A key of our own: the AWS-managed aws/sns key's policy cannot let CloudWatch (or Managed
    // Prometheus) encrypt what they publish, so alarms to a topic under it never arrive.
    this.key = new Key(this, 'TopicKey', {
      enableKeyRotation: true,
      description: 'Encrypts the alarm topic',
    });
    this.topic = new Topic(this, 'Alarms', {
      displayName: 'Growstack alarms',
      enforceSSL: true,
      masterKey: this.key,
    });
    const stack = Stack.of(this);
    this.allowPublishFrom(
      'cloudwatch.amazonaws.com',
      stack.formatArn({
        service: 'cloudwatch',
        resource: 'alarm',
        resourceName: '*',
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    );
    this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    // SNS confirms the endpoint first (PagerDuty's integration does so by itself), then posts
    // every alarm change as JSON, retrying per SNS's HTTPS delivery policy.
    if (props.pagingUrl)
      this.topic.addSubscription(
        new UrlSubscription(props.pagingUrl, { protocol: SubscriptionProtocol.HTTPS }),
      );

    const api = props.api;
    if (api) {
      const api5xxRate = new MathExpression({
        expression: '100 * errors / MAX([requests, 1])',
        label: 'API 5xx rate (%)',
        usingMetrics: { errors: api.serverErrors, requests: api.requests },
        period: FIVE_MINUTES,
      });
      this.alarm('Api5xxRate', api5xxRate, 1, 'More than 1 % of API requests failed with 5xx');
      this.alarm('ApiLatencyP99', api.latencyP99, api.slowP99, 'API p99 latency above 2 s');
    }
    for (const [index, fn] of props.functions.entries()) {
      this.alarm(
        `FunctionErrors${index}`,
        fn.metricErrors({ period: FIVE_MINUTES }),
        0,
        'A Lambda function reported errors',
      );
      this.alarm(
        `FunctionThrottles${index}`,
        fn.metricThrottles({ period: FIVE_MINUTES }),
        0,
        'A Lambda function was throttled',
      );
    }
    const tableThrottles = new MathExpression({
      expression: 'reads + writes',
      label: 'DynamoDB throttle events',
      usingMetrics: {
        reads: this.tableMetric(props.table, 'ReadThrottleEvents'),
        writes: this.tableMetric(props.table, 'WriteThrottleEvents'),
      },
      period: FIVE_MINUTES,
    });
    this.alarm('TableThrottles', tableThrottles, 0, 'DynamoDB throttled requests');
    if (props.deadLetterQueue) {
      this.alarm(
        'DeadLetters',
        props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
          statistic: 'Maximum',
        }),
        0,
        'Jobs landed in the dead-letter queue',
      );
    }

    const dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(3) });
    dashboard.addWidgets(
      ...(api
        ? [
            new GraphWidget({ title: 'API requests and 5xx', left: [api.requests, api.serverErrors] }),
            new GraphWidget({ title: 'API latency p50 / p99', left: [api.latencyP50, api.latencyP99] }),
          ]
        : []),
      new GraphWidget({
        title: 'Lambda errors and throttles',
        left: props.functions.flatMap((fn) => [fn.metricErrors(), fn.metricThrottles()]),
      }),
      new GraphWidget({ title: 'DynamoDB throttles', left: [tableThrottles] }),
    );
  }

  /**
   * Lets an AWS service publish to the topic on behalf of one source of this account (a pattern
   * is allowed: `...:alarm:*`), and use the topic's key for it. The topic policy `enforceSSL`
   * writes replaces SNS's default one, so without this nothing but the account's own principals
   * may publish; the conditions keep another account's resources from using the service to
   * publish here (the confused deputy):
   * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
   * `keySourceArn` narrows the key's statement where the exact source would make the key depend
   * on a resource that itself depends on the topic (a Prometheus workspace names the topic).
   */
  allowPublishFrom(
    service: string,
    sourceArn: string,
    options: { readonly actions?: readonly string[]; readonly keySourceArn?: string } = {},
  ): void {
    const principal = new ServicePrincipal(service);
    const from = (arn: string) => ({
      StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
      ArnLike: { 'aws:SourceArn': arn },
    });
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [principal],
        actions: [...(options.actions ?? ['sns:Publish'])],
        resources: [this.topic.topicArn],
        conditions: from(sourceArn),
      }),
    );
    this.key.addToResourcePolicy(
      new PolicyStatement({
        principals: [principal],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: from(options.keySourceArn ?? sourceArn),
      }),
    );
  }

  private tableMetric(table: ITableV2, metricName: string): Metric {
    return new Metric({
      namespace: 'AWS/DynamoDB',
      metricName,
      dimensionsMap: { TableName: table.tableName },
      period: FIVE_MINUTES,
      statistic: 'Sum',
    });
  }

  private alarm(id: string, metric: IMetric, threshold: number, description: string): void {
    const alarm = new Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
