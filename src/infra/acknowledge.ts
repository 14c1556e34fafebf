import type { CfnElement } from 'aws-cdk-lib';
import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges cdk-nag findings on a construct and everything below it, one finding at a time,
 * each with the reason it is acceptable. Finding ids are cdk-nag's: `AwsSolutions-IAM5[Resource::…]`.
 */
export function acknowledge(scope: IConstruct, findings: Readonly<Record<string, string>>): void {
  Validations.of(scope).acknowledge(...Object.entries(findings).map(([id, reason]) => ({ id, reason })));
}

/** `<LogicalId.Arn>` as cdk-nag prints a resource's ARN inside a finding id. */
export function arnToken(element: IConstruct): string {
  const stack = Stack.of(element);
  return `<${stack.getLogicalId(element.node.defaultChild as CfnElement)}.Arn>`;
}

/** The managed policy AWS attaches to every Lambda execution role CDK creates: logs only. */
export const LAMBDA_BASIC_EXECUTION =
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';

/**
 * The findings of CDK's `bucket.grantReadWrite()`: its action wildcards and the bucket's objects,
 * acknowledged with one reason.
 */
export function bucketReadWriteFindings(bucket: IConstruct, reason: string): Record<string, string> {
  return {
    'AwsSolutions-IAM5[Action::s3:GetObject*]': reason,
    'AwsSolutions-IAM5[Action::s3:GetBucket*]': reason,
    'AwsSolutions-IAM5[Action::s3:List*]': reason,
    'AwsSolutions-IAM5[Action::s3:DeleteObject*]': reason,
    'AwsSolutions-IAM5[Action::s3:Abort*]': reason,
    [`AwsSolutions-IAM5[Resource::${arnToken(bucket)}/*]`]: reason,
  };
}

/** The construct id AwsCustomResource gives its one function per stack. */
const AWS_SDK_CALL_PROVIDER = 'AWS679f53fac002430cb0da5b7982bd2287';

/**
 * Acknowledges the stack's AWS SDK call provider (the one function behind every AwsCustomResource,
 * the OpenSearch domain's log policy included), once it exists: its role writes its own logs.
 */
export function acknowledgeSdkCallProvider(scope: IConstruct): void {
  const provider = Stack.of(scope).node.tryFindChild(AWS_SDK_CALL_PROVIDER);
  if (provider)
    acknowledge(provider, {
      [LAMBDA_BASIC_EXECUTION]:
        'The AWS SDK call provider of the construct library, which makes single SDK calls at deploy time; its role may write its own logs.',
    });
}
