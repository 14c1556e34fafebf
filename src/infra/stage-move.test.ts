import { beforeAll, describe, expect, it } from 'vitest';
import { cachedStacks } from '../../test/support/synth.js';
import { STAGES, type Stage } from '../contracts/stages.js';
import { formatMovePlan } from './move-summary.js';
import { deployStep, type MovePlan, planMove, replicaRegionsOf } from './stage-move.js';
import type { StackTemplate } from './template-cache.js';

const stacks = {} as Record<Stage, StackTemplate[]>;
/** The enterprise stage with Redshift Serverless answering the analytics reports. */
let redshiftStacks: StackTemplate[] = [];

beforeAll(async () => {
  // The shared template cache: synthesized once, then read by every suite that only reads templates.
  for (const stage of STAGES) {
    stacks[stage] = await cachedStacks(stage);
    // A synth holds the thread for seconds: let the test runner's messages through between them.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  redshiftStacks = await cachedStacks('enterprise', { analyticsEngine: 'redshift' });
}, 360_000);

const primary = (stage: Stage) => stacks[stage][0] as StackTemplate;
const resourcesOf = (stack: StackTemplate, type: string) =>
  Object.entries(stack.template.Resources ?? {}).filter(([, resource]) => resource.Type === type);
const move = (from: Stage, to: Stage): MovePlan => planMove(from, to, stacks[from], stacks[to]);

describe('the templates a move updates in place', () => {
  it('keeps the primary web bucket unnamed at every stage, so a second region does not replace it', () => {
    for (const stage of STAGES) {
      const [site] = resourcesOf(primary(stage), 'AWS::S3::Bucket').filter(([id]) =>
        id.startsWith('SiteBucket'),
      );
      expect(site?.[1].Properties?.BucketName, stage).toBeUndefined();
    }
    const changes = move('growing', 'scaling').steps.flatMap((step) => step.changes);
    expect(changes.filter((change) => change.logicalId.startsWith('SiteBucket'))).toEqual([]);
  });

  it("gives the API's name one latency CNAME per region, with the same logical id at every stage", () => {
    const records = STAGES.map((stage) =>
      resourcesOf(primary(stage), 'AWS::Route53::RecordSet').filter(([id]) => id.startsWith('Dns')),
    );
    for (const stageRecords of records) {
      expect(stageRecords).toHaveLength(1);
      const [id, record] = stageRecords[0] ?? [];
      expect(id).toBe(records[0]?.[0]?.[0]);
      expect(record?.Properties).toMatchObject({
        Type: 'CNAME',
        SetIdentifier: 'api-us-east-1',
        Region: 'us-east-1',
      });
    }
  });

  it('streams the table from the start, so adding a replica never changes the stream too', () => {
    for (const stage of STAGES) {
      const [[, table] = []] = resourcesOf(primary(stage), 'AWS::DynamoDB::GlobalTable');
      expect(table?.Properties?.StreamSpecification, stage).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
    }
  });
});

/** Each ordered pair: the exit code, then what its printed steps must say. */
const VERDICTS: [Stage, Stage, 0 | 1, RegExp[]][] = [
  ['startup', 'growing', 0, [/1\. Deploy growing in us-east-1/]],
  [
    'startup',
    'scaling',
    0,
    [/Deploy scaling in us-east-1, eu-west-1/, /sessions move from the table to Redis/],
  ],
  [
    'startup',
    'enterprise',
    0,
    [
      /1\. Deploy enterprise with 1 of its 2 replica regions \(eu-west-1\)/,
      /\$ npx cdk deploy -c stage=enterprise -c maxReplicaRegions=1 --all/,
      /2\. Deploy enterprise in us-east-1, eu-west-1, ap-southeast-1/,
      /accounts move to the Cognito user pool on each user's first sign-in/,
    ],
  ],
  ['growing', 'startup', 0, [/Let the job queue drain/, /destroyed: JobsQueue/, /orphaned: AuditTrailLogs/]],
  ['growing', 'scaling', 0, [/1\. Deploy scaling in us-east-1, eu-west-1, the primary first/]],
  [
    'growing',
    'enterprise',
    0,
    [
      /maxReplicaRegions=1 --all/,
      /replaced: AuditTrailLogs\w+ \(AWS::S3::Bucket\) in us-east-1: the audit-trail bucket \(CloudTrail logs\): the old one is retained/,
      /S3 Object Lock/,
    ],
  ],
  ['scaling', 'startup', 0, [/Delete the stack of eu-west-1/, /\$ npx cdk deploy -c stage=startup --all/]],
  [
    'scaling',
    'growing',
    0,
    [
      /2\. Delete the stack of eu-west-1/,
      /aws cloudformation delete-stack --region eu-west-1/,
      /3\. Deploy growing/,
    ],
  ],
  [
    'scaling',
    'enterprise',
    0,
    [/1\. Deploy enterprise in us-east-1, eu-west-1, ap-southeast-1/, /replaced: AuditTrailLogs/],
  ],
  [
    'enterprise',
    'startup',
    1,
    [
      /Delete the stack of ap-southeast-1/,
      /Remove the replica in ap-southeast-1/,
      /UsersPool\w+: orphaned: the user pool/,
    ],
  ],
  [
    'enterprise',
    'growing',
    1,
    [
      /3\. Delete the stack of eu-west-1/,
      /4\. Remove the replica in ap-southeast-1 \(still at enterprise\)/,
      /\$ npx cdk deploy -c stage=enterprise -c maxReplicaRegions=1 Growstack-us-east-1/,
      /orphaned: SearchDomain\w+ .*it keeps running and billing/,
    ],
  ],
  [
    'enterprise',
    'scaling',
    1,
    [/2\. Delete the stack of ap-southeast-1/, /UsersPool\w+: orphaned: the user pool/],
  ],
];

describe('growstack migrate, for every ordered pair of stages', () => {
  it('covers every pair', () => {
    expect(VERDICTS).toHaveLength(STAGES.length * (STAGES.length - 1));
  });

  it.each(VERDICTS)('%s → %s exits %i and prints its steps', (from, to, exit, says) => {
    const plan = move(from, to);
    const text = formatMovePlan(plan);
    expect(plan.safe ? 0 : 1, plan.blockers.join('\n')).toBe(exit);
    for (const expected of says) expect(text).toMatch(expected);
    // No step ever creates a record beside one Route 53 refuses, nor changes two replicas at once.
    expect(plan.steps.flatMap((step) => step.conflicts)).toEqual([]);
    expect(plan.blockers.filter((blocker) => /replica changes in one update/.test(blocker))).toEqual([]);
  });

  it('gives a move to enterprise with Redshift Serverless analytics the same verdict as with Athena', () => {
    for (const from of ['startup', 'growing', 'scaling'] as const) {
      const athena = move(from, 'enterprise');
      const redshift = planMove(from, 'enterprise', stacks[from], redshiftStacks);
      expect(redshift.safe, `${from}: ${redshift.blockers.join('\n')}`).toBe(athena.safe);
      expect(redshift.steps.map((step) => step.kind)).toEqual(athena.steps.map((step) => step.kind));
      expect(redshift.blockers).toEqual(athena.blockers);
    }
  });

  it('switches a live enterprise stage from Athena to Redshift Serverless and back, safely', () => {
    const toRedshift = planMove('enterprise', 'enterprise', stacks.enterprise, redshiftStacks);
    expect(toRedshift.safe, toRedshift.blockers.join('\n')).toBe(true);
    // Only Athena's workgroup and its two saved queries go, none holding data: nothing is listed
    // as replaced, orphaned or needing a data move; the warehouse's resources are added.
    expect(toRedshift.steps.flatMap((step) => step.changes)).toEqual([]);
    const counts = toRedshift.steps.map((step) => step.counts['Growstack-us-east-1']).filter(Boolean);
    expect(counts).toEqual([expect.objectContaining({ removed: 3, replaced: 0 })]);
    expect(counts[0]?.added).toBeGreaterThan(10);
    // Back to Athena: the namespace is retained (out of the stack, with whatever tables it holds).
    const back = planMove('enterprise', 'enterprise', redshiftStacks, stacks.enterprise);
    expect(back.safe, back.blockers.join('\n')).toBe(true);
    const namespace = back.steps
      .flatMap((step) => step.changes)
      .find((change) => change.type === 'AWS::RedshiftServerless::Namespace');
    expect(namespace?.impact).toBe('orphaned');
  });

  it('adds the replicas of a move to enterprise one per deploy', () => {
    expect(replicaRegionsOf(primary('enterprise'))).toEqual(['eu-west-1', 'ap-southeast-1']);
    const deploys = move('growing', 'enterprise').steps.filter((step) => step.kind === 'deploy');
    expect(deploys.map((step) => step.counts['Growstack-us-east-1']?.updated ?? 0).at(-1)).toBe(1);
    expect(deploys).toHaveLength(2);
  });

  it('flags a deploy that adds two replicas at once', () => {
    // growing → enterprise as one deploy: what `cdk deploy` did before migrate ordered the move.
    const current = new Map([[primary('growing').stackName, primary('growing')]]);
    const step = deployStep('all at once', '', [primary('enterprise')], current);
    expect(step.notes).toContain(
      'unsafe: Growstack-us-east-1: 2 replica changes in one update; CloudFormation allows one',
    );
  });
});
