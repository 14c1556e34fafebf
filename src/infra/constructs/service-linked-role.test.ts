import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ServiceLinkedRole } from './service-linked-role.js';

let template: Template;
// The first synth of a file loads most of aws-cdk-lib: once, outside the tests' own time limit.
beforeAll(() => {
  const stack = new Stack(undefined, 'Roles', { env: { account: '123456789012', region: 'eu-west-1' } });
  new ServiceLinkedRole(stack, 'SearchRole', {
    serviceName: 'opensearchservice.amazonaws.com',
    roleName: 'AWSServiceRoleForAmazonOpenSearchService',
  });
  template = Template.fromStack(stack);
}, 120_000);

describe('the service-linked role', () => {
  it('is created by a deploy-time call that takes "already taken" as success and never deletes it', () => {
    const [call] = Object.values(template.findResources('Custom::AWS'));
    const create = JSON.parse(call?.Properties.Create);
    expect(create).toEqual({
      service: 'IAM',
      action: 'createServiceLinkedRole',
      parameters: { AWSServiceName: 'opensearchservice.amazonaws.com' },
      physicalResourceId: { id: 'AWSServiceRoleForAmazonOpenSearchService' },
      ignoreErrorCodesMatching: 'InvalidInput',
    });
    expect(call?.Properties.Update).toBeUndefined();
    expect(call?.Properties.Delete).toBeUndefined();
  });

  it('may create that one role for that one service, and nothing else', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: 'iam:CreateServiceLinkedRole',
            Effect: 'Allow',
            Resource: {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':iam::123456789012:role/aws-service-role/opensearchservice.amazonaws.com/AWSServiceRoleForAmazonOpenSearchService',
                ],
              ],
            },
            Condition: { StringEquals: { 'iam:AWSServiceName': 'opensearchservice.amazonaws.com' } },
          },
        ],
      },
    });
    // The SDK-call function carries no other statement.
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    expect(policies).toHaveLength(1);
    expect(JSON.stringify(policies)).not.toMatch(/iam:\*|"Resource":"\*"/);
  });
});
