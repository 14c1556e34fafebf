import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  CfnConfigurationRecorder,
  CfnDeliveryChannel,
  ManagedRule,
  ManagedRuleIdentifiers,
} from 'aws-cdk-lib/aws-config';
import { ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  type IBucket,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge, arnToken } from '../acknowledge.js';
import { SynthesisError } from '../errors.js';

export interface ComplianceRecordingProps {
  /**
   * Record the global resource types (IAM users, groups, roles, policies). True in one region
   * only, the primary: every region sees the same IAM resources, and each would record them again.
   */
  readonly globalResourceTypes: boolean;
  /** This region's table is in an AWS Backup plan (the primary's): check that it stays there. */
  readonly backupPlan: boolean;
  /** Where AWS Config delivers snapshots and history files. Default: a new bucket of this region. */
  readonly bucket?: IBucket | undefined;
}

/** One AWS managed rule: its construct id and its identifier. */
interface RuleSpec {
  readonly id: string;
  readonly identifier: string;
}

/** Rules every region evaluates: encryption, public access and backups of what the stages deploy. */
const RULES: readonly RuleSpec[] = [
  { id: 'BucketEncryption', identifier: ManagedRuleIdentifiers.S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED },
  { id: 'BucketPublicAccess', identifier: ManagedRuleIdentifiers.S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED },
  { id: 'BucketTlsOnly', identifier: ManagedRuleIdentifiers.S3_BUCKET_SSL_REQUESTS_ONLY },
  { id: 'TablePointInTimeRecovery', identifier: ManagedRuleIdentifiers.DYNAMODB_PITR_ENABLED },
  { id: 'TrailLogValidation', identifier: ManagedRuleIdentifiers.CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED },
  { id: 'SearchEncryptedAtRest', identifier: ManagedRuleIdentifiers.OPENSEARCH_ENCRYPTED_AT_REST },
];
/** Only where the backup plan is: replicas elsewhere are outside it, with point-in-time recovery. */
const BACKUP_RULE: RuleSpec = {
  id: 'TableInBackupPlan',
  identifier: ManagedRuleIdentifiers.DYNAMODB_IN_BACKUP_PLAN,
};

/** The managed rules' identifiers a region evaluates, in the order they are created. */
export function complianceRuleIdentifiers(backupPlan: boolean): string[] {
  return [...RULES, ...(backupPlan ? [BACKUP_RULE] : [])].map((rule) => rule.identifier);
}

/** AWS Config keeps configuration items 7 years by default; the delivered files are kept as long. */
const DELIVERY_EXPIRY = Duration.days(7 * 365);

/**
 * AWS Config in one region (enterprise): a recorder of every supported resource type, its
 * delivery channel to S3, and AWS managed rules for encryption, public access and backups.
 * Config allows one customer-managed recorder and one delivery channel per account and region,
 * so an account that already records with Config (AWS Control Tower, for one) fails to deploy this.
 */
export class ComplianceRecording extends Construct {
  readonly recorder: CfnConfigurationRecorder;
  readonly deliveryChannel: CfnDeliveryChannel;
  readonly bucket: IBucket;
  /** The managed rules, each created after the recorder. */
  readonly rules: readonly ManagedRule[];

  constructor(scope: Construct, id: string, props: ComplianceRecordingProps) {
    super(scope, id);
    if ((props.bucket?.node.defaultChild as CfnBucket | undefined)?.objectLockEnabled)
      // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-config-deliverychannel.html
      throw new SynthesisError('AWS Config cannot deliver to a bucket with S3 Object Lock enabled', {
        setting: 'bucket',
      });
    this.bucket = props.bucket ?? this.deliveryBucket();
    const bucket = this.bucket;
    const sameAccount = { 'aws:SourceAccount': Aws.ACCOUNT_ID };
    const deliveries = bucket.arnForObjects(`AWSLogs/${Aws.ACCOUNT_ID}/Config/*`);

    // Config writes as the recorder's role in the same account, and as its service principal when
    // the role is refused; the bucket lets in both, the principal only for this account:
    // https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html
    const config = new ServicePrincipal('config.amazonaws.com');
    bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AWSConfigBucketPermissionsCheck',
        principals: [config],
        actions: ['s3:GetBucketAcl'],
        resources: [bucket.bucketArn],
        conditions: { StringEquals: sameAccount },
      }),
    );
    bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AWSConfigBucketExistenceCheck',
        principals: [config],
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringEquals: sameAccount },
      }),
    );
    bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AWSConfigBucketDelivery',
        principals: [config],
        actions: ['s3:PutObject'],
        resources: [deliveries],
        conditions: { StringEquals: { ...sameAccount, 's3:x-amz-acl': 'bucket-owner-full-control' } },
      }),
    );

    const role = new Role(this, 'Role', {
      assumedBy: config.withConditions({ StringEquals: sameAccount }),
      managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName('service-role/AWS_ConfigRole')],
    });
    // AWS_ConfigRole reads resource configurations; writing to the bucket is granted apart, as
    // narrowly as the page below has it (grantPut would add retention, tagging and abort actions):
    // https://docs.aws.amazon.com/config/latest/developerguide/iamrole-permissions.html
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [deliveries],
        conditions: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:GetBucketAcl', 's3:ListBucket'], resources: [bucket.bucketArn] }),
    );
    acknowledge(role, {
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWS_ConfigRole]':
        'AWS Config documents its managed policy as the way to let the recorder read every resource type it records.',
      [`AwsSolutions-IAM5[Resource::${bucket.node.defaultChild ? arnToken(bucket) : bucket.bucketArn}/AWSLogs/<AWS::AccountId>/Config/*]`]:
        'Config names each file by region, date and a random id under this account’s Config prefix; the role may only put there.',
    });

    this.recorder = new CfnConfigurationRecorder(this, 'Recorder', {
      roleArn: role.roleArn,
      recordingGroup: {
        allSupported: true,
        includeGlobalResourceTypes: props.globalResourceTypes,
      },
    });
    // CloudFormation starts the recorder once the channel exists; the channel needs the recorder,
    // and Config checks the bucket policy and the role when the channel is created.
    this.deliveryChannel = new CfnDeliveryChannel(this, 'DeliveryChannel', {
      s3BucketName: bucket.bucketName,
      configSnapshotDeliveryProperties: { deliveryFrequency: 'TwentyFour_Hours' },
    });
    this.deliveryChannel.node.addDependency(this.recorder, role, bucket);

    this.rules = [...RULES, ...(props.backupPlan ? [BACKUP_RULE] : [])].map((spec) => {
      const rule = new ManagedRule(this, spec.id, { identifier: spec.identifier });
      // A rule created while the region has no recorder fails (NoAvailableConfigurationRecorder).
      rule.node.addDependency(this.recorder);
      return rule;
    });
  }

  /** A private, encrypted, TLS-only bucket for this region's deliveries, kept with the stack gone. */
  private deliveryBucket(): Bucket {
    const bucket = new Bucket(this, 'Deliveries', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: DELIVERY_EXPIRY, noncurrentVersionExpiration: Duration.days(90) }],
    });
    acknowledge(bucket, {
      'AwsSolutions-S1':
        'Only AWS Config writes here, and the multi-region trail records every change to the bucket and its policy.',
    });
    return bucket;
  }
}
