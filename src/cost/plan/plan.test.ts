import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Decimal } from 'decimal.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { capture } from '../../../test/support/cli.js';
import { templateInventories } from '../../../test/support/synth.js';
import { main } from '../../cli/main.js';
import type { Stage } from '../../contracts/stages.js';
import { stageTemplates } from '../../infra/plan-templates.js';
import type { Inventory, Template } from './inventory.js';
import { planStages } from './plan.js';
import { parseProfile } from './profile.js';
import { inventoryFromTemplates } from './template-inventory.js';

/** Each stage's inventory as growstack plan counts it, from the shared template cache. */
const templated = await templateInventories();

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const cachedInventories = () => new Map(templated);
const plan = (users: number, extra: object = {}, inventories: Map<Stage, Inventory> = cachedInventories()) =>
  planStages({ profile: parseProfile(extra, users), region: 'us-east-1', inventories });

describe('the inventory of a synthesized stage', () => {
  const synthesized = new Map<Stage, Template[]>();
  beforeAll(async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'growstack-plan-'));
    for (const stage of ['startup', 'growing', 'scaling'] as const) {
      const result = await stageTemplates(stage, { root: ROOT, cacheDir });
      if (!result) throw new Error(`${stage} did not synthesize`);
      expect(result.synthesized).toBe(true);
      synthesized.set(stage, result.templates);
      // The second call reads the cache instead of synthesizing again.
      expect((await stageTemplates(stage, { root: ROOT, cacheDir }))?.synthesized).toBe(false);
    }
  }, 120_000);

  it('reads the growing stage’s API cache, backups, alarms by metric, queues and dashboard', () => {
    const growing = inventoryFromTemplates(synthesized.get('growing')!);
    expect(growing).toMatchObject({
      apiCaches: ['0.5'],
      pointInTimeRecovery: true,
      backupRetentionDays: 35,
      queues: 2,
      dashboards: 1,
      topics: 1,
      budgets: 1,
      natGateways: 0,
    });
    // 8 alarms, two of which read two metrics each.
    expect(growing.alarmMetrics).toBe(10);
    expect(
      growing.functions
        .filter((fn) => fn.role !== 'deploy-time')
        .map((fn) => fn.role)
        .sort(),
    ).toEqual(['api', 'worker']);
  });

  it('counts the resources of later stages from their CloudFormation types', () => {
    const template: Template = {
      region: 'us-east-1',
      Resources: {
        Nat1: { Type: 'AWS::EC2::NatGateway' },
        Nat2: { Type: 'AWS::EC2::NatGateway' },
        Cache: {
          Type: 'AWS::ElastiCache::ReplicationGroup',
          Properties: { CacheNodeType: 'cache.m7g.large', Engine: 'valkey', NumCacheClusters: 2 },
        },
        Task: {
          Type: 'AWS::ECS::TaskDefinition',
          Properties: { Cpu: '1024', Memory: '2048', RuntimePlatform: { CpuArchitecture: 'ARM64' } },
        },
        Service: {
          Type: 'AWS::ECS::Service',
          Properties: { DesiredCount: 2, TaskDefinition: { Ref: 'Task' } },
        },
        Acl: { Type: 'AWS::WAFv2::WebACL', Properties: { Rules: [{}, {}, {}] } },
        Search: {
          Type: 'AWS::OpenSearchService::Domain',
          Properties: {
            ClusterConfig: { InstanceType: 'r7g.large.search', InstanceCount: 3 },
            EBSOptions: { VolumeSize: 50 },
          },
        },
        EnterpriseSearch: {
          Type: 'AWS::OpenSearchService::Domain',
          Properties: {
            ClusterConfig: {
              InstanceType: 'm7g.large.search',
              InstanceCount: 2,
              DedicatedMasterEnabled: true,
              DedicatedMasterType: 'm7g.large.search',
              DedicatedMasterCount: 3,
            },
            EBSOptions: { VolumeSize: 50 },
          },
        },
        Cluster: { Type: 'AWS::EKS::Cluster' },
        Nodes: {
          Type: 'AWS::EKS::Nodegroup',
          Properties: {
            AmiType: 'AL2023_ARM_64_STANDARD',
            InstanceTypes: ['m7g.xlarge'],
            ScalingConfig: { MinSize: 3, DesiredSize: 3, MaxSize: 12 },
          },
        },
      },
    };
    expect(inventoryFromTemplates([template])).toMatchObject({
      natGateways: 2,
      cacheNodes: [
        { nodeType: 'cache.m7g.large', engine: 'valkey' },
        { nodeType: 'cache.m7g.large', engine: 'valkey' },
      ],
      containerServices: [
        { platform: 'ecs', tasks: 2, vcpu: 1, memoryGb: 2, architecture: 'arm64' },
        { platform: 'eks', tasks: 3, vcpu: 4, memoryGb: 16, architecture: 'arm64' },
      ],
      webAcls: [3],
      searchDomains: [
        { instanceType: 'r7g.large.search', instances: 3, storageGb: 150 },
        { instanceType: 'm7g.large.search', instances: 2, storageGb: 100 },
        // Dedicated masters: billed per instance-hour, no data volume.
        { instanceType: 'm7g.large.search', instances: 3, storageGb: 0 },
      ],
      eksClusters: 1,
      // The Ingress's load balancer, which the controller makes outside the template.
      loadBalancers: 1,
    });
  });
});

/** AWS Config, its rules and the log store, as the enterprise stage adds them in two regions. */
const ismPolicy = JSON.stringify({
  policy: {
    states: [
      { name: 'hot', transitions: [{ state_name: 'delete', conditions: { min_index_age: '7d' } }] },
      { name: 'delete', actions: [{ delete: {} }], transitions: [] },
    ],
    ism_template: [{ index_patterns: ['logs-*'] }],
  },
});
const auditTemplates: Template[] = [
  {
    region: 'us-east-1',
    Resources: {
      Recorder: {
        Type: 'AWS::Config::ConfigurationRecorder',
        Properties: { RecordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: true } },
      },
      Channel: { Type: 'AWS::Config::DeliveryChannel' },
      BucketsTlsOnly: {
        Type: 'AWS::Config::ConfigRule',
        Properties: { Source: { Owner: 'AWS', SourceIdentifier: 'S3_BUCKET_SSL_REQUESTS_ONLY' } },
      },
      TrailValidation: {
        Type: 'AWS::Config::ConfigRule',
        Properties: { Source: { Owner: 'AWS', SourceIdentifier: 'CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED' } },
      },
      SearchNodeToNode: {
        Type: 'AWS::Config::ConfigRule',
        Properties: {
          Source: { Owner: 'AWS', SourceIdentifier: 'OPENSEARCH_NODE_TO_NODE_ENCRYPTION_CHECK' },
          Scope: { ComplianceResourceTypes: ['AWS::OpenSearch::Domain'] },
          MaximumExecutionFrequency: 'Twelve_Hours',
        },
      },
      Site: { Type: 'AWS::S3::Bucket' },
      TrailLogs: {
        Type: 'AWS::S3::Bucket',
        Properties: { ObjectLockEnabled: true, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } },
      },
      TrailLogsPolicy: { Type: 'AWS::S3::BucketPolicy' },
      Trail: { Type: 'AWS::CloudTrail::Trail' },
      Search: { Type: 'AWS::OpenSearchService::Domain' },
      LogTransformRole: { Type: 'AWS::IAM::Role' },
      LogTransformRolePolicy: { Type: 'AWS::IAM::Policy' },
      LogTransformFunction: {
        Type: 'AWS::Lambda::Function',
        Properties: { MemorySize: 256, Architectures: ['arm64'] },
      },
      LogTransformPermission: { Type: 'AWS::Lambda::Permission' },
      ApiLogsToStore: {
        Type: 'AWS::Logs::SubscriptionFilter',
        Properties: { LogGroupName: '/growstack/Growstack-us-east-1/api' },
      },
      WorkerLogsToStore: {
        Type: 'AWS::Logs::SubscriptionFilter',
        Properties: { LogGroupName: { Ref: 'WorkerFunctionLogs69AE18E2' } },
      },
      IndexerLogsToStore: {
        Type: 'AWS::Logs::SubscriptionFilter',
        Properties: { LogGroupName: { Ref: 'SearchIndexerLogs24FFA126' } },
      },
      LogDelivery: {
        Type: 'AWS::KinesisFirehose::DeliveryStream',
        Properties: {
          DeliveryStreamType: 'DirectPut',
          AmazonopensearchserviceDestinationConfiguration: {
            IndexName: 'logs',
            IndexRotationPeriod: 'OneDay',
            VpcConfiguration: { SubnetIds: [{ Ref: 'PrivateA' }, { Ref: 'PrivateB' }] },
            ProcessingConfiguration: {
              Enabled: true,
              Processors: [
                {
                  Type: 'Lambda',
                  Parameters: [
                    {
                      ParameterName: 'LambdaArn',
                      ParameterValue: { 'Fn::GetAtt': ['LogTransformFunction', 'Arn'] },
                    },
                    { ParameterName: 'BufferSizeInMBs', ParameterValue: '2' },
                    { ParameterName: 'BufferIntervalInSeconds', ParameterValue: '120' },
                  ],
                },
              ],
            },
          },
        },
      },
      // The analytics stream to S3: not a log store stream.
      AnalyticsDelivery: {
        Type: 'AWS::KinesisFirehose::DeliveryStream',
        Properties: { ExtendedS3DestinationConfiguration: { BucketARN: 'arn:aws:s3:::events' } },
      },
      LogStoreSetup: { Type: 'Custom::LogStoreSetup', Properties: { Policy: ismPolicy } },
      Table: {
        Type: 'AWS::DynamoDB::GlobalTable',
        Properties: { Replicas: [{ Region: 'eu-west-1' }, { Region: { Ref: 'AWS::Region' } }] },
      },
      CDKMetadata: { Type: 'AWS::CDK::Metadata' },
    },
  },
  {
    region: 'eu-west-1',
    Resources: {
      Recorder: {
        Type: 'AWS::Config::ConfigurationRecorder',
        Properties: { RecordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: false } },
      },
      TablePitr: {
        Type: 'AWS::Config::ConfigRule',
        Properties: { Source: { Owner: 'AWS', SourceIdentifier: 'DYNAMODB_PITR_ENABLED' } },
      },
      LogTransformRole: { Type: 'AWS::IAM::Role' },
      Site: { Type: 'AWS::S3::Bucket' },
      LogDelivery: {
        Type: 'AWS::KinesisFirehose::DeliveryStream',
        Properties: {
          AmazonopensearchserviceDestinationConfiguration: {
            VpcConfiguration: { SubnetIds: { 'Fn::Split': [',', { 'Fn::ImportValue': 'PrivateSubnets' }] } },
          },
        },
      },
    },
  },
];

describe('the enterprise stage’s audit recording and log store', () => {
  it('counts Config recorders, their rules, subscription filters and log streams apart from analytics', () => {
    const inventory = inventoryFromTemplates(auditTemplates);
    expect(inventory.configRecorders).toEqual([
      {
        region: 'us-east-1',
        // 17 regional items (3 rules, recorder, channel, 2 buckets, bucket policy, trail, domain,
        // function, 3 filters, 2 streams, the table's replica here) and both regions' IAM roles;
        // not the inline policy, the permission, the custom resource or CDK's metadata.
        resources: 19,
        rules: [
          { changeTriggered: true, runsPerMonth: 0, resourcesInScope: 2 },
          { changeTriggered: false, runsPerMonth: 730 / 24, resourcesInScope: 1 },
          // Not a rule the model knows: its scope and frequency say what it does.
          { changeTriggered: true, runsPerMonth: 730 / 12, resourcesInScope: 1 },
        ],
      },
      // Recorder, rule, bucket, stream and the table's replica; its IAM role is recorded in us-east-1.
      {
        region: 'eu-west-1',
        resources: 5,
        rules: [{ changeTriggered: true, runsPerMonth: 0, resourcesInScope: 1 }],
      },
    ]);
    expect(inventory).toMatchObject({
      deliveryStreams: 1,
      subscriptionFilters: ['api', 'worker', 'indexer'],
      logDeliveryStreams: [
        // The ISM policy's 7 days, and the processor's own buffer.
        { vpcAzs: 2, retentionDays: 7, transformBufferMb: 2, transformIntervalSeconds: 120 },
        // Subnets from an import span the domain's two zones; 14 days and Firehose's defaults.
        { vpcAzs: 2, retentionDays: 14, transformBufferMb: 1, transformIntervalSeconds: 60 },
      ],
      functions: [{ role: 'log-transform', memoryMb: 256, architecture: 'arm64' }],
    });
  });

  it('reads the retention the domain preparation writes when the template holds no lifecycle policy', () => {
    const stream = {
      Type: 'AWS::KinesisFirehose::DeliveryStream',
      Properties: { AmazonopensearchserviceDestinationConfiguration: { IndexName: 'logs' } },
    };
    const indexer = {
      Type: 'AWS::Lambda::Function',
      Properties: { Environment: { Variables: { LOG_RETENTION_DAYS: '30' } } },
    };
    const withSetting = inventoryFromTemplates([
      { region: 'us-east-1', Resources: { LogStoreStream: stream, SearchIndexerFunction: indexer } },
    ]);
    expect(withSetting.logDeliveryStreams.map((log) => log.retentionDays)).toEqual([30]);
    const without = inventoryFromTemplates([{ region: 'us-east-1', Resources: { LogStoreStream: stream } }]);
    expect(without.logDeliveryStreams.map((log) => log.retentionDays)).toEqual([14]);
  });

  it('counts a recorder, a log stream and three filters a region at enterprise, none at scaling', () => {
    const enterprise = templated.get('enterprise')!;
    expect(enterprise.configRecorders).toHaveLength(3);
    expect(enterprise.configRecorders.map((recorder) => recorder.rules.length)).toEqual([7, 6, 6]);
    expect(enterprise.logDeliveryStreams).toHaveLength(3);
    expect(enterprise.subscriptionFilters).toHaveLength(9);
    expect(enterprise.functions.filter((fn) => fn.role === 'log-transform')).toHaveLength(3);
    const scaling = templated.get('scaling')!;
    expect([scaling.configRecorders, scaling.logDeliveryStreams, scaling.subscriptionFilters]).toEqual([
      [],
      [],
      [],
    ]);
  });

  it('prices Config and the log store at enterprise, and neither at scaling', () => {
    const inventories = new Map<Stage, Inventory>([
      ['scaling', templated.get('scaling')!],
      ['enterprise', inventoryFromTemplates(auditTemplates)],
    ]);
    const [scaling, enterprise] = plan(2_000_000, {}, inventories).stages;
    const service = (stage: typeof enterprise, name: string) =>
      stage?.services.find((candidate) => candidate.service === name);
    const items = (stage: typeof enterprise) =>
      stage?.services.flatMap((cost) => cost.lines.map((line) => line.item));

    // us-east-1: 19 resources x 4 changes = 76 items x $0.003 = $0.228 → $0.23; evaluations
    // 2 buckets x 4 + 30.42 daily + (4 changes + 60.83 runs) = 103 x $0.001 = $0.103 → $0.10.
    // eu-west-1: 5 x 4 = 20 items and 4 evaluations, each recorder at its own region's prices:
    // the price list has no eu-west-1 Config figure, so they are reported missing, not priced.
    const config = service(enterprise, 'config');
    expect(config?.totalUsd).toBe(0.33);
    expect(config?.fixedUsd).toBe(0.33);
    expect(config?.missing.map((entry) => [entry.region, entry.dimension, entry.quantity])).toEqual([
      ['eu-west-1', 'config.configurationItems', 20],
      ['eu-west-1', 'config.ruleEvaluations', 4],
    ]);

    // Four AZs (two per stream) x 730 h, half in each region: us-east-1's 1,460 AZ-hours x $0.01 =
    // $14.60 at zero traffic as at any other; eu-west-1's half has no Firehose figure.
    const vpcHours = service(enterprise, 'firehose')?.lines.find(
      (line) => line.item === 'Delivery into a VPC (AZ-hours)',
    );
    expect(vpcHours).toMatchObject({ usd: 14.6, kind: 'fixed', region: 'us-east-1' });
    expect(service(enterprise, 'firehose')?.missing).toContainEqual(
      expect.objectContaining({ region: 'eu-west-1', dimension: 'firehose.vpcHours', quantity: 1460 }),
    );
    expect(items(enterprise)).toEqual(
      expect.arrayContaining([
        'Data delivered into a VPC',
        'gp3 storage for log indices',
        'Rule evaluations (tier 1)',
      ]),
    );
    // Shipped: 180M API requests and 1.8M index updates (no queue, so no jobs) of 1.5 KB =
    // 260.07 GB, half per stream. One 5 KB record per event: 909M KB = 866.89 GB, half in
    // us-east-1: 433.44 GB x $0.029 = $12.57; 130.03 GB into the VPC x $0.01 = $1.30. Kept:
    // 130.03 GB / 30.42 days x (7 + 14) days x 2 copies x 1.1 = 197.51 GB, half: 98.75 GB x $0.122
    // = $12.05. eu-west-1's halves have no Firehose or OpenSearch figure: reported missing.
    const lineUsd = (name: string, item: string) =>
      service(enterprise, name)?.lines.find((line) => line.item === item)?.usd;
    expect(lineUsd('firehose', 'Data delivered into a VPC')).toBe(1.3);
    expect(lineUsd('opensearch', 'gp3 storage for log indices')).toBe(12.05);
    expect(
      service(enterprise, 'firehose')
        ?.lines.filter((line) => line.item === 'Data ingested (5 KB increments)')
        .map((line) => line.usd),
    ).toContain(12.57);
    expect(service(enterprise, 'lambda')).toBeDefined();
    expect(enterprise?.notes.join('\n')).toMatch(/config: 2 recorders over 24 recorded resources/);
    expect(enterprise?.notes.join('\n')).toMatch(/firehose: log store: .* 7\/14 days of daily indices/);

    // Only the log groups a filter ships are sized: without the API's, its requests are not.
    const workerOnly = auditTemplates.map((template) => ({
      ...template,
      Resources: Object.fromEntries(
        Object.entries(template.Resources ?? {}).filter(([id]) => id !== 'ApiLogsToStore'),
      ),
    }));
    const quieter = plan(2_000_000, {}, new Map([['enterprise', inventoryFromTemplates(workerOnly)]]))
      .stages[0];
    expect(quieter?.notes.join('\n')).toMatch(
      /log store: 1,800,000 log events \(one per job, index update\)/,
    );

    expect(service(scaling, 'config')).toBeUndefined();
    expect(items(scaling)).not.toContain('Delivery into a VPC (AZ-hours)');
    expect(items(scaling)).not.toContain('gp3 storage for log indices');
  });
});

describe('a plan', () => {
  it('adds up: lines to services, services to stages, fixed plus usage to the total', () => {
    for (const stage of plan(50_000).stages) {
      const sum = (values: number[]) =>
        values.reduce((total, value) => total.plus(value), new Decimal(0)).toNumber();
      for (const service of stage.services) {
        expect(sum(service.lines.map((line) => line.usd)), `${stage.stage} ${service.service}`).toBe(
          service.totalUsd,
        );
        expect(sum([service.fixedUsd, service.usageUsd])).toBe(service.totalUsd);
      }
      expect(sum(stage.services.map((service) => service.totalUsd))).toBe(stage.totalUsd);
      expect(sum([stage.fixedUsd, stage.usageUsd])).toBe(stage.totalUsd);
    }
  });

  it('costs more at each stage at zero traffic: each stage is a superset of the one before', () => {
    const fixed = plan(1).stages.map((stage) => stage.fixedUsd);
    for (let index = 1; index < fixed.length; index++)
      expect(fixed[index]).toBeGreaterThan(fixed[index - 1]!);
  });

  it('keeps fixed costs fixed and grows usage-driven costs with users', () => {
    const small = plan(200_000);
    const large = plan(400_000);
    for (const [index, stage] of small.stages.entries()) {
      const bigger = large.stages[index]!;
      expect(bigger.fixedUsd, stage.stage).toBeCloseTo(stage.fixedUsd, 0);
      expect(bigger.usageUsd, stage.stage).toBeGreaterThan(stage.usageUsd * 1.5);
    }
  });

  it('picks the cheapest stage sized for the users and the needs', () => {
    expect(plan(5_000).cheapest).toBe('startup');
    expect(plan(50_000).cheapest).toBe('growing');
    expect(plan(500_000).cheapest).toBe('scaling');
    expect(plan(5_000_000).cheapest).toBe('enterprise');
    expect(plan(5_000, { needsMultiRegion: true }).cheapest).toBe('scaling');
    expect(plan(5_000, { needsEnterpriseControls: true }).cheapest).toBe('enterprise');
    const startup = plan(50_000).stages[0]!;
    expect(startup.meetsNeeds).toBe(false);
    expect(startup.fit).toMatch(/0-10,000 users/);
  });

  it('puts the reference architecture’s quote beside each stage, with the reason for a difference', () => {
    for (const stage of plan(50_000).stages) {
      expect(stage.reference.quote).toMatch(/\$/);
      const { minUsd, maxUsd, verdict } = stage.reference;
      expect(verdict).toBe(stage.totalUsd < minUsd ? 'below' : stage.totalUsd > maxUsd ? 'above' : 'within');
      expect(stage.reference.reason.length).toBeGreaterThan(10);
    }
  });

  it('weighs a CloudFront flat-rate plan for each stage whose distribution can have one', () => {
    const [startup, growing, scaling, enterprise] = plan(50_000).stages.map((stage) =>
      stage.notes.join('\n'),
    );
    // 50,000 users x 6 sessions x (8 files + 15 API calls) = 6.9M requests: Pro holds 10M.
    expect(startup).toMatch(/CloudFront flat-rate plans: Pro .* holds 6,900,000 requests/);
    expect(growing).toMatch(/CloudFront flat-rate plans: Pro/);
    expect(scaling).toMatch(/CloudFront flat-rate plans: Pro/);
    // The enterprise stage buys Shield Advanced, which the plans do not offer.
    expect(enterprise).toMatch(
      /CloudFront flat-rate plans: none applies, they do not offer .*Shield Advanced/,
    );
  });

  it('prices every stage from its templates, and each region at its own prices', () => {
    const stages = plan(50_000).stages;
    expect(new Set(stages.map((stage) => stage.source))).toEqual(new Set(['synthesized template']));
    const enterprise = stages.find((stage) => stage.stage === 'enterprise')!;
    expect(enterprise.notes.join('\n')).not.toMatch(/stage table/);
    expect(enterprise.notes.join('\n')).toMatch(/each of the 3 regions .* is priced at its own prices/);
    expect(enterprise.regions).toEqual(['us-east-1', 'eu-west-1', 'ap-southeast-1']);
  });
});

describe('growstack plan', () => {
  it('prints the four stages side by side and writes an offline HTML report', async () => {
    const { io, out } = capture();
    const html = join(mkdtempSync(join(tmpdir(), 'growstack-plan-html-')), 'plan.html');
    expect(await main(['plan', '--users', '50000', '--html', html], io)).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/startup\s+growing\s+scaling\s+enterprise/);
    expect(text).toMatch(/Cheapest stage that meets this profile: growing/);
    const report = readFileSync(html, 'utf8');
    expect(report).toContain('<svg');
    // Which prices, how old, and how many lines rest on secondary data: in the text and the report.
    expect(text).toMatch(/Prices: the snapshot shipped with Growstack \(AWS price data dated .* days old\)/);
    expect(text).toMatch(/Lines priced from secondary data, not AWS's own figures: startup \d+, growing \d+/);
    expect(report).toMatch(
      /<h2>Prices<\/h2><ul class="notes"><li>Prices: the snapshot shipped with Growstack/,
    );
    expect(report.match(/<rect /g)?.length).toBeGreaterThan(4);
    // Nothing to fetch: no scripts, styles or images from anywhere.
    expect(report).not.toMatch(/\s(src|href)=/);
  }, 60_000);

  it('answers --json with every stage, and reads a profile file', async () => {
    const { io, out } = capture();
    const profile = join(mkdtempSync(join(tmpdir(), 'growstack-profile-')), 'profile.json');
    await import('node:fs').then((fs) =>
      fs.writeFileSync(profile, JSON.stringify({ users: 2000, sessionsPerUser: 2 })),
    );
    expect(await main(['plan', '--profile', profile, '--stage', 'startup', '--json'], io)).toBe(0);
    const parsed = JSON.parse(out.join('\n'));
    expect(parsed.stages.map((stage: { stage: string }) => stage.stage)).toEqual(['startup']);
    expect(parsed.profile).toMatchObject({ users: 2000, sessionsPerUser: 2, readShare: 0.9 });
  }, 60_000);

  it.each([
    [['plan', '--users', 'many'], /--users must be a non-negative whole number/],
    [['plan', '--users', '0'], /--users must be at least 1/],
    [['plan', '--stage', 'galactic'], /--stage must be one of/],
    [
      ['plan', '--region', 'mars-1'],
      /--region must be one of us-east-1, eu-west-1, ap-southeast-1, got 'mars-1'/,
    ],
    [['plan', '--profile', '/nonexistent/profile.json'], /--profile .*cannot be read/],
  ])('exits 2 with one line for %j', async (argv, message) => {
    const { io, err } = capture();
    expect(await main(argv, io)).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message);
  });

  it('names an unknown or wrong profile field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'growstack-profile-'));
    const fs = await import('node:fs');
    for (const [body, message] of [
      [{ usersPerDay: 3 }, /profile: usersPerDay: unknown field/],
      [{ readShare: 2 }, /profile: readShare: /],
      [{ sessionsPerUser: -1 }, /profile: sessionsPerUser: /],
    ] as const) {
      const file = join(dir, 'profile.json');
      fs.writeFileSync(file, JSON.stringify(body));
      const { io, err } = capture();
      expect(await main(['plan', '--profile', file, '--stage', 'scaling'], io)).toBe(2);
      expect(err[0]).toMatch(message);
    }
  });
});
