import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Trail } from 'aws-cdk-lib/aws-cloudtrail';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  ObjectLockRetention,
  StorageClass,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from '../acknowledge.js';
import { SynthesisError } from '../errors.js';

/** How long the trail's logs are kept before lifecycle expiration deletes them. */
const LOG_EXPIRY_DAYS = 7 * 365;

/**
 * A year under compliance-mode lock: nobody, the root user included, can shorten or lift it, so
 * the lock covers the window an auditor asks for (PCI DSS keeps a year of audit log history) and
 * no more; the files stay, versioned and unlocked, until the 7-year expiry.
 */
export const DEFAULT_LOCK_DAYS = 365;

export interface AuditTrailProps {
  /**
   * Lock every log file against overwrite and deletion (S3 Object Lock, compliance mode) for this
   * many days after it is written (enterprise). Default: not locked.
   */
  readonly objectLock?: { readonly retentionDays?: number } | undefined;
}

/**
 * Who did what in the account, from the growing stage on: a multi-region CloudTrail trail with
 * log file validation (digest files prove no log was changed or removed), delivered to a private,
 * encrypted, TLS-only, access-logged bucket that moves logs to Glacier after 90 days and deletes
 * them after 7 years. At the enterprise stage each log file is also locked (S3 Object Lock,
 * compliance mode) for its first year.
 */
export class AuditTrail extends Construct {
  readonly trail: Trail;
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: AuditTrailProps = {}) {
    super(scope, id);
    const lockDays = props.objectLock ? (props.objectLock.retentionDays ?? DEFAULT_LOCK_DAYS) : undefined;
    // Lifecycle expiration cannot remove a locked version before its retention ends (it only adds a
    // delete marker), so a lock longer than the expiry would keep logs past their stated life:
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html#object-lock-managing-lifecycle
    if (
      lockDays !== undefined &&
      !(Number.isInteger(lockDays) && lockDays >= 1 && lockDays <= LOG_EXPIRY_DAYS)
    )
      throw new SynthesisError(
        `objectLock.retentionDays must be a whole number of days from 1 to ${LOG_EXPIRY_DAYS}`,
        { setting: 'objectLock.retentionDays' },
      );
    const secure = {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    } as const;
    const accessLogs = new Bucket(this, 'AccessLogs', {
      ...secure,
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });
    acknowledge(accessLogs, { 'AwsSolutions-S1': 'This is the audit bucket’s access-log bucket itself.' });
    this.bucket = new Bucket(this, 'Logs', {
      ...secure,
      versioned: true,
      // ObjectLockEnabled is create-only in CloudFormation (update requires replacement):
      // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3-bucket.html#cfn-s3-bucket-objectlockenabled
      // Moving a deployment from growing or scaling to enterprise therefore creates a new bucket
      // (its name is generated) and points the trail at it; the old bucket is RETAINed outside the
      // stack with the logs written so far, unlocked, still encrypted and expiring on its lifecycle
      // rule, but without its bucket policy (a separate resource, deleted), so no longer TLS-only.
      ...(lockDays !== undefined
        ? {
            objectLockEnabled: true,
            objectLockDefaultRetention: ObjectLockRetention.compliance(Duration.days(lockDays)),
          }
        : {}),
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'trail/',
      lifecycleRules: [
        {
          transitions: [{ storageClass: StorageClass.GLACIER, transitionAfter: Duration.days(90) }],
          expiration: Duration.days(LOG_EXPIRY_DAYS),
          // On a versioned bucket expiration only adds a delete marker; this removes the file itself.
          noncurrentVersionExpiration: Duration.days(1),
        },
      ],
    });
    // Unique per account and region: one storefront stack has one trail.
    const trailName = `${Stack.of(this).stackName}-audit`;
    this.allowTrail(trailName);
    this.trail = new Trail(this, 'Trail', {
      trailName,
      // Trail grants CloudTrail the bucket without a source condition; a view of the bucket that
      // takes no policy drops those statements, and the ones below replace them.
      bucket: Bucket.fromBucketName(this, 'LogsView', this.bucket.bucketName),
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableFileValidation: true,
    });
    // CloudTrail checks on create that it may write.
    if (this.bucket.policy) this.trail.node.addDependency(this.bucket.policy);
  }

  /**
   * Lets CloudTrail check the bucket's ACL and write the logs on behalf of this account's trail
   * only, named before it exists (its ARN as a reference would make the policy and the trail wait
   * on each other): https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
   */
  private allowTrail(trailName: string): void {
    const stack = Stack.of(this);
    const cloudTrail = new ServicePrincipal('cloudtrail.amazonaws.com');
    const source = {
      'aws:SourceArn': stack.formatArn({ service: 'cloudtrail', resource: 'trail', resourceName: trailName }),
      'aws:SourceAccount': stack.account,
    };
    this.bucket.addToResourcePolicy(
      new PolicyStatement({
        principals: [cloudTrail],
        actions: ['s3:GetBucketAcl'],
        resources: [this.bucket.bucketArn],
        conditions: { StringEquals: source },
      }),
    );
    this.bucket.addToResourcePolicy(
      new PolicyStatement({
        principals: [cloudTrail],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`AWSLogs/${stack.account}/*`)],
        conditions: { StringEquals: { ...source, 's3:x-amz-acl': 'bucket-owner-full-control' } },
      }),
    );
  }
}
