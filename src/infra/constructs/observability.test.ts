import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { Observability } from './observability.js';

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
