import { Aws } from 'aws-cdk-lib';
import type { InfraConfig } from './infra-config.js';

// Fixed names the regions' stacks find each other's resources by.

/** The analytics stream's fixed name: the secondary regions put to the primary's by ARN. */
export const eventStreamNameOf = (config: InfraConfig) => `${config.appName}-events`;

/** The regional WAF web ACL's fixed name: the Kubernetes load balancer controller attaches it by name. */
export const regionalAclNameOf = (config: InfraConfig, region: string) => `${config.appName}-api-${region}`;

/** The origin secret's fixed name: every region's stack finds its replica by it. */
export const originVerifySecretNameOf = (config: InfraConfig) => `${config.appName}/origin-verify`;

/** The table's fixed name: every region's stack finds its replica by it. */
export const tableNameOf = (config: InfraConfig) => `${config.appName}-storefront`;

/**
 * The web UI bucket of a secondary region, named so the primary region's CloudFront can fail over
 * to it. The primary's bucket keeps its generated name at every stage: BucketName is create-only,
 * so naming it when a second region arrives would replace it.
 */
export const webBucketNameOf = (config: InfraConfig, region: string) =>
  `${config.appName.toLowerCase()}-web-${Aws.ACCOUNT_ID}-${region}`;
