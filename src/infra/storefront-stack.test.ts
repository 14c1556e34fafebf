import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_RECEIVES } from './constructs/jobs.js';
import { formatSynthSummary } from './synth-summary.js';
import { type SynthSummary, synthesize } from './synthesize.js';

const ROOT = join(import.meta.dirname, '..', '..');
const synths: Record<
  'startup' | 'growing',
  { summary: SynthSummary; template: Template; json: Record<string, unknown> }
> = {} as never;

beforeAll(async () => {
  for (const stage of ['startup', 'growing'] as const) {
    // Inside the repository, so a bundle loaded by the test resolves the AWS SDK the runtime ships;
    // not in cdk.out, which `growstack synth` owns and would refuse to empty with these inside.
    const outdir = join(ROOT, 'test', 'artifacts', 'cdk.out', stage);
    const summary = await synthesize({ stage, outdir, root: ROOT });
    const stack = summary.stacks[0];
    const json = JSON.parse(readFileSync(join(summary.outdir, `${stack?.name}.template.json`), 'utf8'));
    synths[stage] = { summary, template: Template.fromJSON(json), json };
  }
}, 120_000);

describe.each(['startup', 'growing'] as const)('the %s stage', (stage) => {
  it('has no unacknowledged cdk-nag finding, and a reason for every acknowledged one', () => {
    const { nag } = synths[stage].summary;
    expect(nag.unacknowledged).toEqual([]);
    expect(nag.acknowledged.length).toBeGreaterThan(0);
    for (const finding of nag.acknowledged) expect(finding.reason?.length, finding.rule).toBeGreaterThan(20);
  });

  it('summarises the synth on one screen: stacks, resources by type, cdk-nag verdict', () => {
    const text = formatSynthSummary(synths[stage].summary);
    expect(text.split('\n').length).toBeLessThan(50);
    expect(text).toMatch(/^Growstack-[\w-]+ \(us-east-1\): \d+ resources$/m);
    expect(text).toMatch(/^ {2}\s*1 {2}AWS::DynamoDB::GlobalTable$/m);
    expect(text).toMatch(/^cdk-nag \(AwsSolutions\): 0 unacknowledged, \d+ acknowledged with reasons$/m);
  });

  it('keeps the site bucket private, TLS-only and versioned, behind CloudFront with OAC', () => {
    const { template } = synths[stage];
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        CacheBehaviors: Match.arrayWith([Match.objectLike({ PathPattern: '/api/*' })]),
        Origins: Match.arrayWith([Match.objectLike({ OriginAccessControlId: Match.anyValue() })]),
      }),
    });
  });

  it('runs the API on Node.js 24, arm64, from the shared table schema, encrypted and protected', () => {
    const { template } = synths[stage];
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
    });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAtEpoch', Enabled: true },
      Replicas: [Match.objectLike({ DeletionProtectionEnabled: true })],
    });
  });

  it('throttles the API stage and lets only CloudFront in: the function requires the origin secret', () => {
    const { template, json } = synths[stage];
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: 200,
          ThrottlingBurstLimit: 400,
        }),
      ]),
    });
    // Without a domain, CloudFront reaches the API at execute-api, which therefore stays on.
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { DisableExecuteApiEndpoint: false });
    const secret = Match.objectLike({
      'Fn::Join': ['', Match.arrayWith(['{{resolve:secretsmanager:', ':SecretString:value::}}'])],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          ORIGIN_VERIFY_SECRET: secret,
          ORIGIN_VERIFY_REQUIRED: 'true',
          TRUSTED_PROXIES: '2',
        }),
      },
    });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Origins: Match.arrayWith([
          Match.objectLike({
            // The execute-api endpoint, by its parts.
            DomainName: { 'Fn::Select': [2, Match.anyValue()] },
            OriginCustomHeaders: [{ HeaderName: 'x-origin-verify', HeaderValue: secret }],
          }),
        ]),
      }),
    });
    // Reserved concurrency is off unless configured (a new account's quota may be 10).
    const functions = Object.values(
      json.Resources as Record<string, { Type: string; Properties: object }>,
    ).filter((resource) => resource.Type === 'AWS::Lambda::Function');
    for (const fn of functions) expect(fn.Properties).not.toHaveProperty('ReservedConcurrentExecutions');
  });

  it('scopes the functions to their own table and its indexes', () => {
    const { json } = synths[stage];
    const resources = json.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
    const tableId = Object.entries(resources).find(
      ([, resource]) => resource.Type === 'AWS::DynamoDB::GlobalTable',
    )?.[0];
    const dynamoStatements = Object.values(resources)
      .filter((resource) => resource.Type === 'AWS::IAM::Policy')
      .flatMap(
        (policy) =>
          (
            policy.Properties.PolicyDocument as {
              Statement: { Action: string[] | string; Resource: unknown }[];
            }
          ).Statement,
      )
      .filter((statement) => [statement.Action].flat().some((action) => action.startsWith('dynamodb:')));
    expect(dynamoStatements.length).toBeGreaterThan(0);
    for (const statement of dynamoStatements) {
      const text = JSON.stringify(statement.Resource);
      expect(text).toContain(tableId);
      expect(text).not.toMatch(/"\*"/);
    }
  });
});

describe('what grows between startup and growing', () => {
  const growingOnly = [
    'AWS::SQS::Queue',
    'AWS::Lambda::EventSourceMapping',
    'AWS::CloudWatch::Alarm',
    'AWS::CloudWatch::Dashboard',
    'AWS::SNS::Topic',
    'AWS::Backup::BackupPlan',
    'AWS::Budgets::Budget',
  ];

  it('gives startup none of the queue, alarm, backup and budget resources, and growing all of them', () => {
    for (const type of growingOnly) {
      expect(synths.startup.summary.stacks[0]?.resources[type] ?? 0, `startup ${type}`).toBe(0);
      expect(synths.growing.summary.stacks[0]?.resources[type] ?? 0, `growing ${type}`).toBeGreaterThan(0);
    }
  });

  it('moves in place: growing is the same stack and keeps every startup resource under its logical id', () => {
    expect(synths.growing.summary.stacks[0]?.name).toBe(synths.startup.summary.stacks[0]?.name);
    const resources = (stage: 'startup' | 'growing') =>
      synths[stage].json.Resources as Record<string, { Type: string }>;
    const growing = resources('growing');
    for (const [logicalId, resource] of Object.entries(resources('startup')))
      expect(growing[logicalId]?.Type, logicalId).toBe(resource.Type);
  });

  it('turns on point-in-time recovery and the API cache only at growing', () => {
    const pitr = (stage: 'startup' | 'growing') =>
      JSON.stringify(synths[stage].template.findResources('AWS::DynamoDB::GlobalTable')).includes(
        '"PointInTimeRecoveryEnabled":true',
      );
    expect(pitr('startup')).toBe(false);
    expect(pitr('growing')).toBe(true);
    synths.startup.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      CacheClusterEnabled: Match.absent(),
    });
    synths.growing.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      CacheClusterEnabled: true,
      CacheClusterSize: '0.5',
      MethodSettings: Match.arrayWith([
        Match.objectLike({ ResourcePath: '/~1api~1products', HttpMethod: 'GET', CachingEnabled: true }),
      ]),
    });
  });

  it('keeps catalog reads at most 5 s in CloudFront and in the API cache, so a write shows within the documented bound', () => {
    const { template } = synths.growing;
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({
        Name: Match.stringLikeRegexp('ProductListings'),
        DefaultTTL: 5,
        MaxTTL: 5,
      }),
    });
    const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0] as {
      Properties: {
        MethodSettings: { ResourcePath: string; CachingEnabled?: boolean; CacheTtlInSeconds?: number }[];
      };
    };
    const cached = stage.Properties.MethodSettings.filter((setting) => setting.CachingEnabled);
    expect(cached.map((setting) => setting.ResourcePath).sort()).toEqual([
      '/~1api~1products',
      '/~1api~1products~1{id}',
    ]);
    for (const setting of cached) expect(setting.CacheTtlInSeconds, setting.ResourcePath).toBe(5);
  });

  it('keys the API cache on If-None-Match, so a cached 304 never reaches a client that holds no copy', () => {
    const { template } = synths.growing;
    const gets = Object.values(template.findResources('AWS::ApiGateway::Method')).filter(
      (method) =>
        (method as { Properties: { HttpMethod: string; Integration?: { CacheKeyParameters?: string[] } } })
          .Properties.Integration?.CacheKeyParameters !== undefined,
    ) as {
      Properties: {
        Integration: { CacheKeyParameters: string[] };
        RequestParameters: Record<string, boolean>;
      };
    }[];
    expect(gets).toHaveLength(2);
    for (const method of gets) {
      expect(method.Properties.Integration.CacheKeyParameters).toContain(
        'method.request.header.If-None-Match',
      );
      expect(method.Properties.RequestParameters['method.request.header.If-None-Match']).toBe(false);
    }
  });

  it('redrives failed jobs to the dead-letter queue after three receives and reports batch failures', () => {
    const { template } = synths.growing;
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: MAX_RECEIVES },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('wires every alarm to the alarm topic, which e-mails the configured address', () => {
    const { template } = synths.growing;
    const topicId = Object.keys(template.findResources('AWS::SNS::Topic'))[0];
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThanOrEqual(7);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
    // No paging service configured: the e-mail only.
    template.resourcePropertiesCountIs('AWS::SNS::Subscription', { Protocol: 'https' }, 0);
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: { BackupPlanRule: [Match.objectLike({ Lifecycle: { DeleteAfterDays: 35 } })] },
    });
  });
});

describe('the API bundle', () => {
  it('is built and loads in a fresh Node process', () => {
    const outdir = synths.startup.summary.outdir;
    const assets = readdirSync(outdir).filter((name) => name.startsWith('asset.'));
    const bundle = assets
      .map((name) => join(outdir, name, 'index.mjs'))
      .find((file) => {
        try {
          return readFileSync(file, 'utf8').length > 100_000;
        } catch {
          return false;
        }
      });
    expect(bundle).toBeDefined();
    const result = spawnSync(
      process.execPath,
      ['-e', `import(${JSON.stringify(bundle)}).then((m) => process.stdout.write(typeof m.handler))`],
      { encoding: 'utf8', env: { ...process.env, TABLE_NAME: 'bundle-check', AWS_REGION: 'us-east-1' } },
    );
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.stdout).toBe('function');
  });
});

describe('without a domain', () => {
  it.each(['startup', 'growing'] as const)(
    'at %s, has no certificate, hosted zone or DNS record',
    (stage) => {
      for (const type of [
        'AWS::CertificateManager::Certificate',
        'AWS::Route53::HostedZone',
        'AWS::Route53::RecordSet',
        'AWS::ApiGateway::DomainName',
      ])
        synths[stage].template.resourceCountIs(type, 0);
    },
  );
});

describe('the audit trail', () => {
  it('is absent at startup', () => {
    synths.startup.template.resourceCountIs('AWS::CloudTrail::Trail', 0);
  });

  it('records every region from growing on, with log file validation, into an access-logged bucket with a lifecycle', () => {
    const { template, json } = synths.growing;
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      IsLogging: true,
    });
    const resources = (
      json as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> }
    ).Resources;
    const trail = Object.values(resources).find((resource) => resource.Type === 'AWS::CloudTrail::Trail');
    const bucketId = (trail?.Properties.S3BucketName as { Ref?: string } | undefined)?.Ref ?? '';
    const bucket = resources[bucketId]?.Properties ?? {};
    expect(bucket.LoggingConfiguration).toMatchObject({ LogFilePrefix: 'trail/' });
    expect(bucket.BucketEncryption).toBeDefined();
    expect(bucket.LifecycleConfiguration).toMatchObject({
      Rules: [
        expect.objectContaining({
          ExpirationInDays: 7 * 365,
          NoncurrentVersionExpiration: { NoncurrentDays: 1 },
          Status: 'Enabled',
        }),
      ],
    });
    expect(bucket.PublicAccessBlockConfiguration).toMatchObject({
      BlockPublicAcls: true,
      RestrictPublicBuckets: true,
    });
  });
});
