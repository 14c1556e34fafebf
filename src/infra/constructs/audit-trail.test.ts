import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditTrail } from './audit-trail.js';

interface Statement {
  Effect: string;
  Principal?: { Service?: string };
  Action: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

function trail() {
  const stack = new Stack(new App(), 'Growstack-us-east-1', {
    env: { account: '123456789012', region: 'us-east-1' },
  });
  new AuditTrail(stack, 'AuditTrail');
  return Template.fromStack(stack);
}

const trailArn = {
  'Fn::Join': [
    '',
    ['arn:', { Ref: 'AWS::Partition' }, ':cloudtrail:us-east-1:123456789012:trail/Growstack-us-east-1-audit'],
  ],
};

let synthesized: Template;
// The first synth of a file loads most of aws-cdk-lib: once, outside the tests' own time limit.
beforeAll(() => {
  synthesized = trail();
}, 120_000);

describe('the audit trail', () => {
  it('is named, so its bucket policy can name it before it exists', () => {
    synthesized.hasResourceProperties('AWS::CloudTrail::Trail', { TrailName: 'Growstack-us-east-1-audit' });
  });

  it("lets CloudTrail check the bucket's ACL and write its logs on behalf of this trail only", () => {
    const template = synthesized;
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));
    const statements = policies.flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as Statement[],
    );
    const cloudTrail = statements.filter(
      (statement) =>
        statement.Effect === 'Allow' && statement.Principal?.Service === 'cloudtrail.amazonaws.com',
    );
    expect(cloudTrail.map((statement) => statement.Action).sort()).toEqual([
      's3:GetBucketAcl',
      's3:PutObject',
    ]);
    for (const statement of cloudTrail)
      expect(statement.Condition?.StringEquals, String(statement.Action)).toMatchObject({
        'aws:SourceArn': trailArn,
        'aws:SourceAccount': '123456789012',
      });
    const write = cloudTrail.find((statement) => statement.Action === 's3:PutObject');
    expect(write?.Condition?.StringEquals?.['s3:x-amz-acl']).toBe('bucket-owner-full-control');
  });

  it('is created after the bucket policy that lets it write (CloudTrail checks it on create)', () => {
    const template = synthesized;
    const [trailResource] = Object.values(template.findResources('AWS::CloudTrail::Trail'));
    const [logsPolicy] = Object.entries(template.findResources('AWS::S3::BucketPolicy')).filter(
      ([, policy]) => JSON.stringify(policy).includes('cloudtrail.amazonaws.com'),
    );
    expect(trailResource?.DependsOn).toContain(logsPolicy?.[0]);
  });
});
