import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN_VERIFY_HEADER } from '../../contracts/origin-verify-header.js';
import { OriginVerify } from './origin-verify.js';

const env = (region: string) => ({ env: { account: '123456789012', region } });
let primary: Template;
let secondary: Template;
let primaryHeaders: unknown;
let secondaryHeaders: unknown;
let secretId: string;

// The first synth of a file loads most of aws-cdk-lib: once, outside the tests' own time limit.
beforeAll(() => {
  const stack = new Stack(undefined, 'Primary', env('us-east-1'));
  const verify = new OriginVerify(stack, 'OriginVerify', {
    secretName: 'growstack/origin-verify',
    replicaRegions: ['eu-west-1', 'ap-southeast-1'],
  });
  verify.grantRead(new Role(stack, 'Reader', { assumedBy: new ServicePrincipal('ecs-tasks.amazonaws.com') }));
  primaryHeaders = stack.resolve(verify.headers);
  secretId = stack.getLogicalId(verify.secret.node.defaultChild as never);
  primary = Template.fromStack(stack);

  const other = new Stack(undefined, 'Secondary', env('eu-west-1'));
  const replica = OriginVerify.fromName(other, 'OriginVerify', 'growstack/origin-verify');
  replica.grantRead(
    new Role(other, 'Reader', { assumedBy: new ServicePrincipal('ecs-tasks.amazonaws.com') }),
  );
  secondaryHeaders = other.resolve(replica.headers);
  secondary = Template.fromStack(other);
}, 120_000);

describe('the origin secret', () => {
  it('is 48 letters and digits under a fixed name, replicated to every other region', () => {
    primary.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'growstack/origin-verify',
      GenerateSecretString: {
        SecretStringTemplate: '{}',
        GenerateStringKey: 'value',
        ExcludePunctuation: true,
        IncludeSpace: false,
        PasswordLength: 48,
      },
      ReplicaRegions: [{ Region: 'eu-west-1' }, { Region: 'ap-southeast-1' }],
    });
  });

  it('reaches CloudFront as a dynamic reference in its header, never as the value', () => {
    expect(Object.keys(primaryHeaders as object)).toEqual([ORIGIN_VERIFY_HEADER]);
    expect(JSON.stringify(primaryHeaders)).toMatch(/\{\{resolve:secretsmanager:.*:SecretString:value::\}\}/);
    expect(JSON.stringify(primaryHeaders)).toContain(secretId);
  });

  it("is found by name in another region's stack, where the replica is", () => {
    expect(secondaryHeaders).toEqual({
      [ORIGIN_VERIFY_HEADER]: '{{resolve:secretsmanager:growstack/origin-verify:SecretString:value::}}',
    });
    secondary.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });

  it('lets a reader get and describe the secret, and nothing more', () => {
    primary.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
            Effect: 'Allow',
            Resource: { Ref: secretId },
          },
        ],
      },
    });
    const [policy] = Object.values(secondary.findResources('AWS::IAM::Policy'));
    const [statement] = policy?.Properties.PolicyDocument.Statement ?? [];
    expect(statement.Action).toEqual(['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret']);
    expect(JSON.stringify(statement.Resource)).toContain(
      ':secretsmanager:eu-west-1:123456789012:secret:growstack/origin-verify-??????',
    );
  });
});
