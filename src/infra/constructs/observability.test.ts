import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { LambdaRestApi } from 'aws-cdk-lib/aws-apigateway';
import { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Vpc } from 'aws-cdk-lib/aws-ec2';
import { ApplicationLoadBalancer } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBalancerSignals, Observability, restApiSignals } from './observability.js';

interface Statement {
  Effect: string;
  Principal?: { Service?: string };
  Action: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

function alarms(prometheusWorkspaceArn?: string) {
  const stack = new Stack(new App(), 'Alarms', { env: { account: '123456789012', region: 'eu-west-1' } });
  const observability = new Observability(stack, 'Observability', {
    functions: [],
    table: TableV2.fromTableName(stack, 'Table', 'storefront'),
    alarmEmail: 'ops@example.com',
  });
  if (prometheusWorkspaceArn)
    observability.allowPublishFrom('aps.amazonaws.com', prometheusWorkspaceArn, {
      actions: ['sns:Publish', 'sns:GetTopicAttributes'],
      keySourceArn: 'arn:aws:aps:eu-west-1:123456789012:workspace/*',
    });
  const template = Template.fromStack(stack);
  const [topicPolicy] = Object.values(template.findResources('AWS::SNS::TopicPolicy'));
  const [key] = Object.values(template.findResources('AWS::KMS::Key'));
  return {
    topic: topicPolicy?.Properties.PolicyDocument.Statement as Statement[],
    key: key?.Properties.KeyPolicy.Statement as Statement[],
  };
}

const allowFor = (statements: Statement[], service: string) =>
  statements.filter((statement) => statement.Effect === 'Allow' && statement.Principal?.Service === service);
const alarmArns = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:eu-west-1:123456789012:alarm:*']],
};
const actions = (statement: Statement | undefined) => [statement?.Action ?? []].flat().sort();

const WORKSPACE = 'arn:aws:aps:eu-west-1:123456789012:workspace/ws-0123';
let plain: ReturnType<typeof alarms>;
let withPrometheus: ReturnType<typeof alarms>;

// The first synth of a file loads most of aws-cdk-lib: once, outside the tests' own time limit.
beforeAll(() => {
  plain = alarms();
  withPrometheus = alarms(WORKSPACE);
}, 120_000);

describe('the alarm topic', () => {
  it('lets CloudWatch alarms of this account publish, beside the TLS-only deny', () => {
    const { topic } = plain;
    expect(topic.some((statement) => statement.Effect === 'Deny')).toBe(true);
    const [cloudWatch, ...others] = allowFor(topic, 'cloudwatch.amazonaws.com');
    expect(others).toEqual([]);
    expect(actions(cloudWatch)).toEqual(['sns:Publish']);
    expect(cloudWatch?.Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': '123456789012' },
      ArnLike: { 'aws:SourceArn': alarmArns },
    });
  });

  it("lets CloudWatch use the topic's key, from this account's alarms only", () => {
    const { key } = plain;
    const [cloudWatch, ...others] = allowFor(key, 'cloudwatch.amazonaws.com');
    expect(others).toEqual([]);
    expect(actions(cloudWatch)).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    expect(cloudWatch?.Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': '123456789012' },
      ArnLike: { 'aws:SourceArn': alarmArns },
    });
    // Nobody else gets the key without a condition: only the account's own administrators.
    for (const statement of key.filter((s) => s.Principal?.Service))
      expect(statement.Condition).toBeDefined();
  });

  it("lets one Managed Prometheus workspace publish and read the topic's attributes, as its alert manager needs", () => {
    const workspace = WORKSPACE;
    const { topic, key } = withPrometheus;
    const [prometheus] = allowFor(topic, 'aps.amazonaws.com');
    expect(actions(prometheus)).toEqual(['sns:GetTopicAttributes', 'sns:Publish']);
    expect(prometheus?.Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': '123456789012' },
      ArnLike: { 'aws:SourceArn': workspace },
    });
    const [prometheusKey] = allowFor(key, 'aps.amazonaws.com');
    expect(actions(prometheusKey)).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    expect(prometheusKey?.Condition?.ArnLike).toEqual({
      'aws:SourceArn': 'arn:aws:aps:eu-west-1:123456789012:workspace/*',
    });
  });

  it('gives Managed Prometheus nothing when no workspace alerts through it', () => {
    const { topic, key } = plain;
    expect(allowFor(topic, 'aps.amazonaws.com')).toEqual([]);
    expect(allowFor(key, 'aps.amazonaws.com')).toEqual([]);
  });
});

interface AlarmProperties {
  AlarmDescription: string;
  Threshold: number;
  ComparisonOperator: string;
  EvaluationPeriods: number;
  TreatMissingData: string;
  AlarmActions: unknown[];
  MetricName?: string;
  Namespace?: string;
  Statistic?: string;
  ExtendedStatistic?: string;
  Period?: number;
  Dimensions?: { Name: string; Value: unknown }[];
  Metrics?: {
    Id: string;
    Expression?: string;
    MetricStat?: { Metric: { MetricName: string; Namespace: string }; Stat: string; Period: number };
  }[];
}

/** Every alarm of a stage with a REST API, one function and a dead-letter queue, by description. */
function everyAlarm() {
  const stack = new Stack(new App(), 'Alarms', { env: { account: '123456789012', region: 'eu-west-1' } });
  const fn = new LambdaFunction(stack, 'Fn', {
    runtime: Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: Code.fromInline('export const handler = () => {};'),
  });
  const api: RestApi = new LambdaRestApi(stack, 'RestApi', { handler: fn });
  const deadLetterQueue = new Queue(stack, 'DeadLetters');
  const observability = new Observability(stack, 'Observability', {
    api: restApiSignals(api),
    functions: [fn],
    table: TableV2.fromTableName(stack, 'Table', 'storefront'),
    deadLetterQueue,
    alarmEmail: 'ops@example.com',
    pagingUrl: 'https://events.pagerduty.com/integration/key/enqueue',
  });
  const template = Template.fromStack(stack);
  const byDescription = Object.fromEntries(
    Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => [
      alarm.Properties.AlarmDescription,
      alarm.Properties as AlarmProperties,
    ]),
  );
  return {
    template,
    byDescription,
    topic: stack.resolve(observability.topic.topicArn),
    fn: stack.resolve(fn.functionName),
  };
}

let every: ReturnType<typeof everyAlarm>;
beforeAll(() => {
  every = everyAlarm();
}, 120_000);

const metricsOf = (alarm: AlarmProperties | undefined) =>
  Object.fromEntries(
    (alarm?.Metrics ?? []).map((metric) => [
      metric.Id,
      metric.Expression ??
        `${metric.MetricStat?.Metric.Namespace} ${metric.MetricStat?.Metric.MetricName} ${metric.MetricStat?.Stat} ${metric.MetricStat?.Period}`,
    ]),
  );

describe('the alarms', () => {
  it('alarm on the first 5-minute period above the threshold, treat no data as fine, and page the topic', () => {
    expect(Object.keys(every.byDescription).sort()).toEqual([
      'A Lambda function reported errors',
      'A Lambda function was throttled',
      'API p99 latency above 2 s',
      'DynamoDB throttled requests',
      'Jobs landed in the dead-letter queue',
      'More than 1 % of API requests failed with 5xx',
    ]);
    for (const [description, alarm] of Object.entries(every.byDescription))
      expect(alarm, description).toMatchObject({
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
        AlarmActions: [every.topic],
      });
  });

  it("pages when more than 1 % of the API's requests in 5 minutes answered 5xx", () => {
    const alarm = every.byDescription['More than 1 % of API requests failed with 5xx'];
    expect(alarm?.Threshold).toBe(1);
    expect(metricsOf(alarm)).toEqual({
      expr_1: '100 * errors / MAX([requests, 1])',
      errors: 'AWS/ApiGateway 5XXError Sum 300',
      requests: 'AWS/ApiGateway Count Sum 300',
    });
  });

  it("pages when the API's p99 latency over 5 minutes is above 2000 ms", () => {
    expect(every.byDescription['API p99 latency above 2 s']).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: 'Latency',
      ExtendedStatistic: 'p99',
      Period: 300,
      Threshold: 2000,
    });
  });

  it('pages on any Lambda error or throttle in 5 minutes, per function', () => {
    const dimensions = [{ Name: 'FunctionName', Value: every.fn }];
    expect(every.byDescription['A Lambda function reported errors']).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 0,
      Dimensions: dimensions,
    });
    expect(every.byDescription['A Lambda function was throttled']).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Throttles',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 0,
      Dimensions: dimensions,
    });
  });

  it('pages on any read or write throttle of the table in 5 minutes', () => {
    const alarm = every.byDescription['DynamoDB throttled requests'];
    expect(alarm?.Threshold).toBe(0);
    expect(metricsOf(alarm)).toEqual({
      expr_1: 'reads + writes',
      reads: 'AWS/DynamoDB ReadThrottleEvents Sum 300',
      writes: 'AWS/DynamoDB WriteThrottleEvents Sum 300',
    });
    expect(JSON.stringify(alarm?.Metrics)).toContain('{"Name":"TableName","Value":"storefront"}');
  });

  it('pages within a minute of any job landing in the dead-letter queue', () => {
    expect(every.byDescription['Jobs landed in the dead-letter queue']).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Statistic: 'Maximum',
      Period: 60,
      Threshold: 0,
    });
  });

  it('e-mails the alarm address and, when given, posts to the paging URL over HTTPS', () => {
    every.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
    every.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'https',
      Endpoint: 'https://events.pagerduty.com/integration/key/enqueue',
    });
  });

  it('encrypts the topic with a rotated key of its own and refuses publishing without TLS', () => {
    every.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const [topic] = Object.values(every.template.findResources('AWS::SNS::Topic'));
    expect(topic?.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
    expect(plain.topic).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('has no API alarms without API signals, and no dead-letter alarm without a queue', () => {
    const stack = new Stack(new App(), 'Bare');
    new Observability(stack, 'Observability', {
      functions: [],
      table: TableV2.fromTableName(stack, 'Table', 'storefront'),
      alarmEmail: 'ops@example.com',
    });
    const descriptions = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map(
      (alarm) => alarm.Properties.AlarmDescription,
    );
    expect(descriptions).toEqual(['DynamoDB throttled requests']);
  });

  it("reads the load balancer's 5xx, its own and the tasks', and its p99 in seconds, on the container stages", () => {
    const stack = new Stack(new App(), 'Containers', {
      env: { account: '123456789012', region: 'eu-west-1' },
    });
    const loadBalancer = new ApplicationLoadBalancer(stack, 'Balancer', {
      vpc: new Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 }),
    });
    new Observability(stack, 'Observability', {
      api: loadBalancerSignals(loadBalancer),
      functions: [],
      table: TableV2.fromTableName(stack, 'Table', 'storefront'),
      alarmEmail: 'ops@example.com',
    });
    const alarms = Object.fromEntries(
      Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map((alarm) => [
        alarm.Properties.AlarmDescription,
        alarm.Properties as AlarmProperties,
      ]),
    );
    expect(alarms['API p99 latency above 2 s']).toMatchObject({
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'TargetResponseTime',
      ExtendedStatistic: 'p99',
      Period: 300,
      Threshold: 2,
    });
    const rate = alarms['More than 1 % of API requests failed with 5xx'];
    expect(rate?.Threshold).toBe(1);
    expect(metricsOf(rate)).toMatchObject({
      errors: 'target + balancer',
      target: 'AWS/ApplicationELB HTTPCode_Target_5XX_Count Sum 300',
      balancer: 'AWS/ApplicationELB HTTPCode_ELB_5XX_Count Sum 300',
      requests: 'AWS/ApplicationELB RequestCount Sum 300',
    });
  }, 60_000);
});
