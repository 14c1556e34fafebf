import { Duration } from 'aws-cdk-lib';
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
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Alias } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface ObservabilityProps {
  readonly api: RestApi;
  readonly functions: readonly IFunction[];
  readonly table: TableV2;
  readonly deadLetterQueue?: Queue | undefined;
  readonly alarmEmail: string;
}

const FIVE_MINUTES = Duration.minutes(5);

/** Alarms that page the alarm e-mail through SNS, and one dashboard of the same signals. */
export class Observability extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Alarms', {
      displayName: 'Growstack alarms',
      enforceSSL: true,
      masterKey: Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
    });
    this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    const api5xxRate = new MathExpression({
      expression: '100 * errors / MAX([requests, 1])',
      label: 'API 5xx rate (%)',
      usingMetrics: {
        errors: props.api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
        requests: props.api.metricCount({ period: FIVE_MINUTES, statistic: 'Sum' }),
      },
      period: FIVE_MINUTES,
    });
    this.alarm('Api5xxRate', api5xxRate, 1, 'More than 1 % of API requests failed with 5xx');
    this.alarm(
      'ApiLatencyP99',
      props.api.metricLatency({ period: FIVE_MINUTES, statistic: 'p99' }),
      2000,
      'API p99 latency above 2 s',
    );
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
      new GraphWidget({
        title: 'API requests and 5xx',
        left: [props.api.metricCount(), props.api.metricServerError()],
      }),
      new GraphWidget({
        title: 'API latency p50 / p99',
        left: [props.api.metricLatency({ statistic: 'p50' }), props.api.metricLatency({ statistic: 'p99' })],
      }),
      new GraphWidget({
        title: 'Lambda errors and throttles',
        left: props.functions.flatMap((fn) => [fn.metricErrors(), fn.metricThrottles()]),
      }),
      new GraphWidget({ title: 'DynamoDB throttles', left: [tableThrottles] }),
    );
  }

  private tableMetric(table: TableV2, metricName: string): Metric {
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
