import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, it } from 'vitest';
import { protectWithShield } from './shield.js';

describe('Shield Advanced protection', () => {
  it('protects the resource by ARN, with health-based detection and automatic application-layer mitigation', () => {
    const stack = new Stack(new App(), 'Protected', { env: { region: 'us-east-1' } });
    const distribution = 'arn:aws:cloudfront::123456789012:distribution/E2ABCDEF123456';
    const healthCheck = 'arn:aws:route53:::healthcheck/0f0a1b2c-3d4e-5f60-7182-93a4b5c6d7e8';
    protectWithShield(stack, 'Edge', {
      name: 'storefront-edge',
      resourceArn: distribution,
      healthCheckArns: [healthCheck],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Shield::Protection', {
      Name: 'storefront-edge',
      ResourceArn: distribution,
      HealthCheckArns: [healthCheck],
      ApplicationLayerAutomaticResponseConfiguration: { Action: { Block: {} }, Status: 'ENABLED' },
    });
  });
});
