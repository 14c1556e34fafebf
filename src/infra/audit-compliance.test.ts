import { App, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type StageSynth, synthStage } from '../../test/support/synth.js';
import { AuditTrail, DEFAULT_LOCK_DAYS } from './constructs/audit-trail.js';
import { ComplianceRecording, complianceRuleIdentifiers } from './constructs/compliance-recording.js';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-1'] as const;
const PRIMARY = REGIONS[0];
type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };
const synths = {} as Record<'growing' | 'enterprise', StageSynth>;

beforeAll(async () => {
  for (const stage of ['growing', 'enterprise'] as const)
    synths[stage] = await synthStage(stage, `audit-compliance-${stage}`);
}, 180_000);

const template = (stage: 'growing' | 'enterprise', region: string) =>
  synths[stage].templates[region] as Template;
const resources = (of: Template) => of.toJSON().Resources as Record<string, Resource>;
const ref = (value: unknown) => (value as { Ref: string }).Ref;

/** The bucket the trail delivers to, found through the trail's S3BucketName. */
function trailBucket(of: Template): Resource {
  const [trail] = Object.values(of.findResources('AWS::CloudTrail::Trail')) as Resource[];
  return resources(of)[ref(trail?.Properties.S3BucketName)] as Resource;
}

describe('the audit trail bucket', () => {
  it('locks every log file in compliance mode for a year at the enterprise stage, still expiring after 7 years', () => {
    const bucket = trailBucket(template('enterprise', PRIMARY));
    expect(bucket.Properties).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: DEFAULT_LOCK_DAYS } },
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: { Rules: [expect.objectContaining({ ExpirationInDays: 7 * 365 })] },
    });
    // S3 cannot write server access logs into a bucket with Object Lock: the log bucket stays unlocked.
    const logging = bucket.Properties.LoggingConfiguration as { DestinationBucketName: unknown };
    const accessLogs = resources(template('enterprise', PRIMARY))[ref(logging.DestinationBucketName)];
    expect(accessLogs?.Properties.ObjectLockEnabled).toBeUndefined();
  });

  it('refuses a lock that would outlast the 7 years the logs are kept', () => {
    const stack = new Stack(new App());
    expect(() => new AuditTrail(stack, 'Trail', { objectLock: { retentionDays: 7 * 365 + 1 } })).toThrow(
      /retentionDays/,
    );
  });

  it('is not locked at the growing stage', () => {
    const growing = template('growing', PRIMARY);
    growing.resourceCountIs('AWS::CloudTrail::Trail', 1);
    const bucket = trailBucket(growing);
    expect(bucket.Properties.ObjectLockEnabled).toBeUndefined();
    expect(bucket.Properties.ObjectLockConfiguration).toBeUndefined();
  });
});

describe('AWS Config at the enterprise stage', () => {
  it('has no unacknowledged cdk-nag finding', () => {
    expect(synths.enterprise.summary.nag.unacknowledged).toEqual([]);
  });

  it('records every supported resource type in each region, the global ones in the primary only', () => {
    for (const region of REGIONS) {
      const of = template('enterprise', region);
      of.resourceCountIs('AWS::Config::ConfigurationRecorder', 1);
      of.resourceCountIs('AWS::Config::DeliveryChannel', 1);
      of.hasResourceProperties('AWS::Config::ConfigurationRecorder', {
        RecordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: region === PRIMARY },
      });
    }
  });

  it("delivers to an unlocked bucket of the region that admits Config's writes from this account only", () => {
    for (const region of REGIONS) {
      const of = template('enterprise', region);
      const [channel] = Object.values(of.findResources('AWS::Config::DeliveryChannel')) as Resource[];
      const bucketId = ref(channel?.Properties.S3BucketName);
      const bucket = resources(of)[bucketId];
      expect(bucket?.Type).toBe('AWS::S3::Bucket');
      // AWS Config cannot deliver to a bucket with Object Lock, such as the locked trail bucket.
      expect(bucket?.Properties.ObjectLockEnabled).toBeUndefined();
      const fromConfig = (action: string) =>
        Match.objectLike({
          Effect: 'Allow',
          Principal: { Service: 'config.amazonaws.com' },
          Action: action,
          Condition: { StringEquals: Match.objectLike({ 'aws:SourceAccount': Match.anyValue() }) },
        });
      of.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: bucketId },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            fromConfig('s3:GetBucketAcl'),
            fromConfig('s3:ListBucket'),
            fromConfig('s3:PutObject'),
          ]),
        },
      });
    }
  });

  it('refuses to deliver to a bucket with Object Lock, which AWS Config cannot write to', () => {
    const stack = new Stack(new App());
    const trail = new AuditTrail(stack, 'Trail', { objectLock: {} });
    expect(
      () =>
        new ComplianceRecording(stack, 'Compliance', {
          globalResourceTypes: true,
          backupPlan: false,
          bucket: trail.bucket,
        }),
    ).toThrow(/Object Lock/);
  });

  it('evaluates the managed rules, each created after the recorder, the backup rule where the backup plan is', () => {
    for (const region of REGIONS) {
      const of = template('enterprise', region);
      const [recorderId] = Object.keys(of.findResources('AWS::Config::ConfigurationRecorder'));
      const rules = Object.values(of.findResources('AWS::Config::ConfigRule')) as Resource[];
      const identifiers = rules.map(
        (rule) => (rule.Properties.Source as { Owner: string; SourceIdentifier: string }).SourceIdentifier,
      );
      expect(identifiers.sort()).toEqual(complianceRuleIdentifiers(region === PRIMARY).sort());
      for (const rule of rules) expect(rule.DependsOn).toContain(recorderId);
    }
    expect(complianceRuleIdentifiers(true)).toContain('DYNAMODB_IN_BACKUP_PLAN');
    expect(complianceRuleIdentifiers(false)).not.toContain('DYNAMODB_IN_BACKUP_PLAN');
  });
});

describe('AWS Config at the growing stage', () => {
  it('is not deployed', () => {
    const growing = template('growing', PRIMARY);
    for (const type of [
      'AWS::Config::ConfigurationRecorder',
      'AWS::Config::DeliveryChannel',
      'AWS::Config::ConfigRule',
    ])
      growing.resourceCountIs(type, 0);
  });
});
