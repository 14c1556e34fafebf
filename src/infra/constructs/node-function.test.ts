import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SecurityGroup, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import { NodeFunction } from './node-function.js';

const ENTRY = join(import.meta.dirname, '..', '..', 'entry', 'lambda-worker.ts');

interface Synth {
  template: Template;
  fn: Record<string, unknown> & { Environment: { Variables: Record<string, unknown> } };
  logGroupId: string;
}

function synth(options: { tuned: boolean }): Synth {
  // No bundling: the template is the same without it, in a fraction of the time.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Functions', { env: { account: '123456789012', region: 'eu-west-1' } });
  const vpc = new Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const function_ = new NodeFunction(stack, 'Worker', {
    entry: ENTRY,
    environment: { TABLE_NAME: 'storefront' },
    timeout: Duration.seconds(40),
    ...(options.tuned
      ? {
          memorySize: 1024,
          tracing: true,
          reservedConcurrentExecutions: 5,
          vpc: {
            vpc,
            subnets: { subnetType: SubnetType.PRIVATE_WITH_EGRESS },
            securityGroup: new SecurityGroup(stack, 'Group', { vpc }),
          },
        }
      : {}),
  });
  const template = Template.fromStack(stack);
  const id = stack.getLogicalId(function_.fn.node.defaultChild as never);
  return {
    template,
    fn: template.toJSON().Resources[id].Properties,
    logGroupId: stack.getLogicalId(function_.logGroup.node.defaultChild as never),
  };
}

let plain: Synth;
let tuned: Synth;
// The first synth of a file loads most of aws-cdk-lib: once, outside the tests' own time limit.
beforeAll(() => {
  plain = synth({ tuned: false });
  tuned = synth({ tuned: true });
}, 120_000);

describe('a function of ours', () => {
  it('runs Node.js 24 on arm64 with 512 MB, the given timeout, and no reserved concurrency', () => {
    expect(plain.fn).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 512,
      Timeout: 40,
      Handler: 'index.handler',
    });
    expect(plain.fn.ReservedConcurrentExecutions).toBeUndefined();
    expect(plain.fn.VpcConfig).toBeUndefined();
    expect(plain.fn.TracingConfig).toBeUndefined();
  });

  it('logs JSON to a group of its own kept a month', () => {
    expect(plain.fn.LoggingConfig).toEqual({ LogFormat: 'JSON', LogGroup: { Ref: plain.logGroupId } });
    plain.template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('sets source maps and the Powertools service and namespace beside its own environment', () => {
    expect(plain.fn.Environment.Variables).toEqual({
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: 'growstack',
      POWERTOOLS_METRICS_NAMESPACE: 'Growstack',
      TABLE_NAME: 'storefront',
    });
  });

  it('takes memory, active tracing, reserved concurrency and a VPC when asked', () => {
    expect(tuned.fn).toMatchObject({
      MemorySize: 1024,
      TracingConfig: { Mode: 'Active' },
      ReservedConcurrentExecutions: 5,
    });
    const vpcConfig = tuned.fn.VpcConfig as { SubnetIds: unknown[]; SecurityGroupIds: unknown[] };
    expect(vpcConfig.SecurityGroupIds).toHaveLength(1);
    expect(JSON.stringify(vpcConfig.SubnetIds)).toMatch(/PrivateSubnet1.*PrivateSubnet2/);
    tuned.template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
            Effect: 'Allow',
            Resource: '*',
          },
        ],
      },
    });
  });
});
