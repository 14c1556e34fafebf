import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, it } from 'vitest';
import { Network } from './network.js';

describe('the regional network', () => {
  it('flow-logs all traffic, accepted and rejected, so an investigation sees what did get through', {
    timeout: 120_000,
  }, () => {
    const stack = new Stack(new App(), 'Net', { env: { account: '123456789012', region: 'eu-west-1' } });
    new Network(stack, 'Network');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::FlowLog', 1);
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', ResourceType: 'VPC' });
  });
});
