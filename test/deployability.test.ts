import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Stage } from '../src/contracts/stages.js';
import { type InfraConfigInput, parseInfraConfig } from '../src/infra/infra-config.js';
import { synthesize } from '../src/infra/synthesize.js';
import { checkTemplate, placeholdersIn } from './support/cfn-schema.js';
import { LOOKUP_CONTEXT_FIXTURE, ROOT, TEST_ZONE } from './support/synth.js';

const ACCOUNT = '123456789012';
const CREATED_ZONE = { zoneName: 'shop.example.com', create: true } as const;

/**
 * Each stage with and without an account, with an existing zone and a created one: every stage
 * is synthesized twice, each way of a setting at least once per stage (all sixteen would take
 * minutes). Enterprise once more with Redshift Serverless answering the analytics
 * (`analyticsEngine: 'redshift'`). The last one is a move's intermediate deploy (one replica
 * region fewer).
 */
const VARIANTS: { name: string; stage: Stage; config: InfraConfigInput; maxReplicaRegions?: number }[] = [
  { name: 'startup, no account, no zone', stage: 'startup', config: {} },
  {
    name: 'startup, account, existing zone',
    stage: 'startup',
    config: { account: ACCOUNT, hostedZone: TEST_ZONE },
  },
  {
    name: 'growing, account, created zone',
    stage: 'growing',
    config: { account: ACCOUNT, hostedZone: CREATED_ZONE },
  },
  { name: 'growing, no account, existing zone', stage: 'growing', config: { hostedZone: TEST_ZONE } },
  {
    name: 'scaling, account, existing zone',
    stage: 'scaling',
    config: { account: ACCOUNT, hostedZone: TEST_ZONE },
  },
  { name: 'scaling, no account, created zone', stage: 'scaling', config: { hostedZone: CREATED_ZONE } },
  {
    name: 'enterprise, account, existing zone',
    stage: 'enterprise',
    config: { account: ACCOUNT, hostedZone: TEST_ZONE },
  },
  {
    name: 'enterprise, account, existing zone, Redshift Serverless analytics',
    stage: 'enterprise',
    config: { account: ACCOUNT, hostedZone: TEST_ZONE, analyticsEngine: 'redshift' },
  },
  {
    name: 'enterprise, no account, created zone, intermediate deploy',
    stage: 'enterprise',
    config: { hostedZone: CREATED_ZONE },
    maxReplicaRegions: 1,
  },
];

interface Synth {
  readonly nag: { readonly unacknowledged: readonly unknown[] };
  readonly text: Record<string, string>;
  readonly templates: Record<string, { Resources?: Record<string, Record<string, unknown>> }>;
}
const synths = new Map<string, Synth>();

beforeAll(async () => {
  for (const variant of VARIANTS) {
    const summary = await synthesize({
      stage: variant.stage,
      outdir: join(ROOT, 'test', 'artifacts', 'cdk.out', `deployability-${synths.size}`),
      root: ROOT,
      config: parseInfraConfig(variant.config),
      bundling: false,
      lookupContextFile: LOOKUP_CONTEXT_FIXTURE,
      ...(variant.maxReplicaRegions === undefined ? {} : { maxReplicaRegions: variant.maxReplicaRegions }),
    });
    const synth: Synth = { nag: summary.nag, text: {}, templates: {} };
    for (const stack of summary.stacks) {
      synth.text[stack.region] = readFileSync(stack.templateFile, 'utf8');
      synth.templates[stack.region] = JSON.parse(synth.text[stack.region] as string);
    }
    synths.set(variant.name, synth);
    // A synth holds the thread for seconds: let the test runner's messages through between them.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}, 300_000);

describe.each(VARIANTS.map((variant) => variant.name))('%s', (name) => {
  it("validates every resource against CloudFormation's resource specification", () => {
    const synth = synths.get(name) as Synth;
    for (const [region, template] of Object.entries(synth.templates))
      expect(checkTemplate(template), region).toEqual([]);
  });

  it('carries no placeholder', () => {
    const synth = synths.get(name) as Synth;
    for (const [region, text] of Object.entries(synth.text)) expect(placeholdersIn(text), region).toEqual([]);
  });
});

describe('the enterprise stage with analyticsEngine redshift', () => {
  const name = 'enterprise, account, existing zone, Redshift Serverless analytics';

  it('has no unacknowledged cdk-nag finding', () => {
    expect((synths.get(name) as Synth).nag.unacknowledged).toEqual([]);
  });

  it('adds the warehouse to the primary region only, beside the same stage VPC, in place of Athena', () => {
    const redshift = (synths.get(name) as Synth).templates;
    const athena = (synths.get('enterprise, account, existing zone') as Synth).templates;
    const idsOf = (templates: Synth['templates'], region: string, type: string) =>
      Object.entries(templates[region]?.Resources ?? {})
        .filter(([, resource]) => resource.Type === type)
        .map(([id]) => id)
        .sort();
    expect(idsOf(redshift, 'us-east-1', 'AWS::RedshiftServerless::Workgroup')).toHaveLength(1);
    expect(idsOf(redshift, 'us-east-1', 'AWS::Athena::WorkGroup')).toEqual([]);
    expect(idsOf(athena, 'us-east-1', 'AWS::Athena::WorkGroup')).toHaveLength(1);
    for (const region of ['eu-west-1', 'ap-southeast-1'])
      expect(idsOf(redshift, region, 'AWS::RedshiftServerless::Workgroup'), region).toEqual([]);
    // The stage's own subnets are the same resources: the warehouse's three are added beside them.
    const stageSubnets = idsOf(athena, 'us-east-1', 'AWS::EC2::Subnet');
    const subnets = idsOf(redshift, 'us-east-1', 'AWS::EC2::Subnet');
    expect(subnets.filter((id) => !id.startsWith('Warehouse'))).toEqual(stageSubnets);
    expect(subnets.filter((id) => id.startsWith('Warehouse'))).toHaveLength(3);
  });
});

describe('the checks themselves', () => {
  it('find an unknown type, an unknown or missing property, a wrong type and a value not allowed', () => {
    const findings = checkTemplate({
      Resources: {
        Nope: { Type: 'AWS::S3::Buckett' },
        Queue: { Type: 'AWS::SQS::Queue', Properties: { DelaySecond: 5, FifoQueue: 'yes' } },
        Table: {
          Type: 'AWS::DynamoDB::GlobalTable',
          Properties: { BillingMode: 'ON_DEMAND', KeySchema: [], AttributeDefinitions: [] },
        },
      },
    }).map((finding) => `${finding.resource} ${finding.path}: ${finding.message}`);
    expect(findings).toEqual(
      expect.arrayContaining([
        'Nope (AWS::S3::Buckett) Type: unknown resource type',
        'Queue (AWS::SQS::Queue) Properties.DelaySecond: unknown property',
        'Queue (AWS::SQS::Queue) Properties.FifoQueue: expected a boolean, got "yes"',
        'Table (AWS::DynamoDB::GlobalTable) Properties.Replicas: required property missing',
      ]),
    );
    expect(placeholdersIn('{"AvailabilityZone":"dummy1a"}')).toEqual(['dummy1a']);
  });

  it('builds a move intermediate deploy with the replica regions capped and only their stacks', () => {
    const synth = synths.get('enterprise, no account, created zone, intermediate deploy') as Synth;
    expect(Object.keys(synth.templates)).toEqual(['us-east-1', 'eu-west-1']);
    const table = Object.values(synth.templates['us-east-1']?.Resources ?? {}).find(
      (resource) => resource.Type === 'AWS::DynamoDB::GlobalTable',
    ) as { Properties: { Replicas: { Region: string }[] } };
    expect(table.Properties.Replicas.map((replica) => replica.Region).sort()).toEqual([
      'eu-west-1',
      'us-east-1',
    ]);
  });
});
