import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Decimal } from 'decimal.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { capture } from '../../../test/support/cli.js';
import { main } from '../../cli/main.js';
import { capabilitiesOf, STAGES, type Stage } from '../../platform/stages.js';
import {
  type Inventory,
  inventoryFromStageTable,
  inventoryFromTemplates,
  type Template,
} from './inventory.js';
import { planStages } from './plan.js';
import { parseProfile } from './profile.js';
import { stageTemplates } from './templates.js';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const tableInventories = () =>
  new Map(
    STAGES.map((stage) => [stage, inventoryFromStageTable(capabilitiesOf(stage), 'us-east-1')] as const),
  );
const plan = (users: number, extra: object = {}, inventories: Map<Stage, Inventory> = tableInventories()) =>
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

  it.each(['startup', 'growing', 'scaling'] as const)(
    'at %s, counts what the stage table says the stage deploys',
    (stage) => {
      const fromTemplate = inventoryFromTemplates(synthesized.get(stage)!);
      const fromTable = inventoryFromStageTable(capabilitiesOf(stage), 'us-east-1');
      // The two are held together so stages without CDK code yet are priced like those with it.
      expect({ ...fromTemplate, source: 'any' }).toEqual({ ...fromTable, source: 'any' });
    },
  );

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

  it('says which stages are priced from the stage table and which regions share one region’s prices', () => {
    const enterprise = plan(50_000).stages.find((stage) => stage.stage === 'enterprise')!;
    expect(enterprise.notes.join('\n')).toMatch(/priced from the stage table/);
    expect(enterprise.notes.join('\n')).toMatch(/all 3 regions .* are priced at us-east-1 prices/);
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
    [['plan', '--region', 'mars-1'], /--region must be us-east-1 or eu-west-1/],
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
