import { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledgeSdkCallProvider } from '../acknowledge.js';

export interface ServiceLinkedRoleProps {
  /** The service that uses the role, as IAM names it: `opensearchservice.amazonaws.com`. */
  readonly serviceName: string;
  /** The role's fixed name, which IAM gives it: `AWSServiceRoleForAmazonOpenSearchService`. */
  readonly roleName: string;
}

/**
 * A service-linked role the account needs before a resource of that service can be made (an
 * OpenSearch domain in a VPC, in an account that never had one). The role is global to the account
 * and creating it again fails, so it cannot be a plain `AWS::IAM::ServiceLinkedRole`: a deploy-time
 * call creates it and takes IAM's "has been taken" answer (InvalidInput) as success. It is never
 * deleted with the stack: other resources of the account may rely on it.
 */
export class ServiceLinkedRole extends Construct {
  readonly resource: AwsCustomResource;

  constructor(scope: Construct, id: string, props: ServiceLinkedRoleProps) {
    super(scope, id);
    this.resource = new AwsCustomResource(this, 'Create', {
      onCreate: {
        service: 'IAM',
        action: 'createServiceLinkedRole',
        parameters: { AWSServiceName: props.serviceName },
        physicalResourceId: PhysicalResourceId.of(props.roleName),
        ignoreErrorCodesMatching: 'InvalidInput',
      },
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({
          actions: ['iam:CreateServiceLinkedRole'],
          resources: [
            Stack.of(this).formatArn({
              service: 'iam',
              region: '',
              resource: 'role',
              resourceName: `aws-service-role/${props.serviceName}/${props.roleName}`,
            }),
          ],
          conditions: { StringEquals: { 'iam:AWSServiceName': props.serviceName } },
        }),
      ]),
      installLatestAwsSdk: false,
    });
    acknowledgeSdkCallProvider(this);
  }
}
