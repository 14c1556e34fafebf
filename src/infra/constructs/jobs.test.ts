import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { Jobs, MAX_RECEIVES } from './jobs.js';

let template: Template;
let ids: { queue: string; deadLetters: string; worker: string; api: string };
// The first synth of a file loads most of aws-cdk-lib: once, outside the tests' own time limit.
beforeAll(() => {
  const stack = new Stack();
  const worker = new LambdaFunction(stack, 'Worker', {
    runtime: Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: Code.fromInline('export const handler = () => {};'),
    timeout: Duration.seconds(40),
  });
  const jobs = new Jobs(stack, 'Jobs', { worker, workerTimeout: Duration.seconds(40) });
  const api = new Role(stack, 'ApiRole', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
  jobs.grantEnqueue(api);
  const id = (construct: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(construct.node.defaultChild as never);
  ids = { queue: id(jobs.queue), deadLetters: id(jobs.deadLetterQueue), worker: id(worker), api: id(api) };
  template = Template.fromStack(stack);
}, 120_000);

describe('the job queue', () => {
  it('moves a message to the dead-letter queue after three receives', () => {
    expect(MAX_RECEIVES).toBe(3);
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [ids.deadLetters, 'Arn'] }, maxReceiveCount: 3 },
    });
  });

  it("hides a received message for six times the worker's timeout, so a retried batch does not overlap", () => {
    const queue = template.toJSON().Resources[ids.queue];
    expect(queue.Properties.VisibilityTimeout).toBe(240);
  });

  it('encrypts both queues with SQS-managed keys and refuses requests without TLS', () => {
    const queues = template.toJSON().Resources;
    for (const id of [ids.queue, ids.deadLetters])
      expect(queues[id].Properties.SqsManagedSseEnabled, id).toBe(true);
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: ids.queue }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('keeps dead letters 14 days, for a person to inspect and redrive', () => {
    expect(template.toJSON().Resources[ids.deadLetters].Properties.MessageRetentionPeriod).toBe(
      14 * 24 * 3600,
    );
  });

  it('feeds the worker batches of up to ten, within a second, reporting failed items only', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: ids.worker },
      EventSourceArn: { 'Fn::GetAtt': [ids.queue, 'Arn'] },
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('lets an enqueuer send to the job queue only, not to the dead letters', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: ids.api }],
      PolicyDocument: {
        Statement: [
          {
            Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [ids.queue, 'Arn'] },
          },
        ],
      },
    });
  });
});
