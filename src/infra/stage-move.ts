import { fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';
import { capabilitiesOf, STAGES, type Stage } from '../contracts/stages.js';
import { SynthesisError } from './errors.js';
import { type RecordConflict, recordConflicts } from './record-conflicts.js';
import { judgeChange, type ResourceChange } from './stateful-resources.js';
import type { CfnTemplate, StackTemplate } from './template-cache.js';

/** One thing to do, in order: a deploy, a stack to delete, or a data move. */
export interface MoveStep {
  readonly kind: 'deploy' | 'delete-stack' | 'data';
  readonly title: string;
  /** The command that does it. */
  readonly command: string;
  /** The stacks it touches, with their regions. */
  readonly stacks: readonly { readonly name: string; readonly region: string }[];
  /** Resources replaced or removed by this step (resources only added or updated are not listed). */
  readonly changes: readonly ResourceChange[];
  /** Per stack: how many resources are added, updated, replaced and removed. */
  readonly counts: Readonly<
    Record<string, Readonly<Record<'added' | 'updated' | 'replaced' | 'removed', number>>>
  >;
  /** DNS records this step would create beside a record Route 53 refuses to share a name with. */
  readonly conflicts: readonly RecordConflict[];
  readonly notes: readonly string[];
}

/** The ordered steps from one stage to another, and whether each is safe. */
export interface MovePlan {
  readonly from: Stage;
  readonly to: Stage;
  readonly steps: readonly MoveStep[];
  /** What makes the move unsafe, one line each: exit 1 when any. */
  readonly blockers: readonly string[];
  readonly safe: boolean;
}

type Counts = Record<'added' | 'updated' | 'replaced' | 'removed', number>;

const deployCommand = (stage: Stage, extra = '') => `npx cdk deploy -c stage=${stage}${extra} --all`;

/** The regions besides the primary that hold a replica of the primary's global table. */
export function replicaRegionsOf(primary: StackTemplate): string[] {
  for (const resource of Object.values(primary.template.Resources ?? {})) {
    if (resource.Type !== 'AWS::DynamoDB::GlobalTable') continue;
    const replicas = (resource.Properties?.Replicas ?? []) as { Region?: unknown }[];
    return replicas.map((replica) => String(replica.Region)).filter((region) => region !== primary.region);
  }
  return [];
}

/** The primary's template as an intermediate deploy with only these replica regions builds it. */
function withReplicas(primary: StackTemplate, keep: readonly string[]): StackTemplate {
  const resources = Object.fromEntries(
    Object.entries(primary.template.Resources ?? {}).map(([id, resource]) => {
      if (resource.Type !== 'AWS::DynamoDB::GlobalTable') return [id, resource];
      const replicas = (resource.Properties?.Replicas ?? []) as { Region?: unknown }[];
      const kept = replicas.filter(
        (replica) => replica.Region === primary.region || keep.includes(String(replica.Region)),
      );
      return [id, { ...resource, Properties: { ...resource.Properties, Replicas: kept } }];
    }),
  );
  return { ...primary, template: { ...primary.template, Resources: resources } };
}

/**
 * Plans a move between stages from both stages' templates (every region, the primary first):
 * which deploys, in which order and regions; global-table replicas added or removed one per
 * deploy (CloudFormation's rule); stacks of regions the target stage drops deleted first; what
 * each step replaces, retains, orphans or destroys, compared with the CDK's own diff; DNS records
 * checked against Route 53's same-name rules; and the data moves the stage change needs.
 */
export function planMove(
  from: Stage,
  to: Stage,
  fromStacks: StackTemplate[],
  toStacks: StackTemplate[],
): MovePlan {
  const fromPrimary = fromStacks[0];
  const toPrimary = toStacks[0];
  if (!fromPrimary || !toPrimary) throw new SynthesisError('a stage has at least its primary region stack');
  if (fromPrimary.stackName !== toPrimary.stackName)
    throw new SynthesisError(
      `the primary stacks differ (${fromPrimary.stackName}, ${toPrimary.stackName}): both stages must be synthesized with the same settings`,
    );
  // What the account holds, stack by stack, as the steps go.
  const current = new Map<string, StackTemplate>(fromStacks.map((stack) => [stack.stackName, stack]));
  const steps: MoveStep[] = [];
  const up = STAGES.indexOf(to) > STAGES.indexOf(from);
  const oldReplicas = replicaRegionsOf(fromPrimary);
  const newReplicas = replicaRegionsOf(toPrimary);

  steps.push(...dataMovesBefore(from, to));
  // Regions the target drops: their stacks go first, while the replicas they read still exist.
  const kept = new Set(toStacks.map((stack) => stack.stackName));
  for (const stack of [...fromStacks].reverse().filter((candidate) => !kept.has(candidate.stackName))) {
    steps.push(deleteStackStep(stack));
    current.delete(stack.stackName);
  }
  // One replica per update: intermediate deploys of the primary, each a replica nearer.
  if (up) {
    for (let count = oldReplicas.length + 1; count < newReplicas.length; count++) {
      const regions = newReplicas.slice(0, count);
      const stacks = [
        withReplicas(toPrimary, regions),
        ...toStacks.filter((stack) => regions.includes(stack.region)),
      ];
      steps.push(
        deployStep(
          `Deploy ${to} with ${count} of its ${newReplicas.length} replica regions (${regions.join(', ')}): CloudFormation adds one replica per update`,
          deployCommand(to, ` -c maxReplicaRegions=${count}`),
          stacks,
          current,
        ),
      );
    }
  } else {
    for (let count = oldReplicas.length - 1; count > newReplicas.length; count--) {
      const regions = oldReplicas.slice(0, count);
      steps.push(
        deployStep(
          `Remove the replica in ${oldReplicas[count]} (still at ${from}): CloudFormation removes one replica per update`,
          `npx cdk deploy -c stage=${from} -c maxReplicaRegions=${count} ${fromPrimary.stackName}`,
          [withReplicas(fromPrimary, regions)],
          current,
        ),
      );
    }
  }
  const regions = toStacks.map((stack) => stack.region).join(', ');
  steps.push(
    deployStep(`Deploy ${to} in ${regions}, the primary first`, deployCommand(to), toStacks, current),
  );
  steps.push(...dataMovesAfter(from, to));

  const blockers: string[] = [];
  for (const step of steps) {
    for (const change of step.changes)
      if (!change.safe)
        blockers.push(
          `${change.stack} ${change.logicalId}: ${change.impact}: ${change.detail}${change.dataMove ? ` (${change.dataMove})` : ''}`,
        );
    for (const conflict of step.conflicts) blockers.push(conflict.message);
    for (const note of step.notes)
      if (note.startsWith('unsafe:')) blockers.push(note.slice('unsafe: '.length));
  }
  return { from, to, steps, blockers, safe: blockers.length === 0 };
}

function deleteStackStep(stack: StackTemplate): MoveStep {
  const changes = Object.entries(stack.template.Resources ?? {}).map(([logicalId, resource]) =>
    judgeChange(
      { stack: stack.stackName, region: stack.region, logicalId },
      resource,
      resource.DeletionPolicy === 'Retain' ? 'orphaned' : 'destroyed',
    ),
  );
  const removed = changes.length;
  return {
    kind: 'delete-stack',
    title: `Delete the stack of ${stack.region}, which the target stage does not run`,
    command: `aws cloudformation delete-stack --region ${stack.region} --stack-name ${stack.stackName}`,
    stacks: [{ name: stack.stackName, region: stack.region }],
    changes: changes.filter((change) => change.stateful || change.dataMove || change.impact === 'orphaned'),
    counts: { [stack.stackName]: { added: 0, updated: 0, replaced: 0, removed } },
    conflicts: [],
    notes: [],
  };
}

/** One deploy of these stacks over what `current` holds (which it then updates), judged. */
export function deployStep(
  title: string,
  command: string,
  stacks: readonly StackTemplate[],
  current: Map<string, StackTemplate>,
): MoveStep {
  const changes: ResourceChange[] = [];
  const counts: Record<string, Counts> = {};
  const conflicts: RecordConflict[] = [];
  const notes: string[] = [];
  for (const stack of stacks) {
    const before = current.get(stack.stackName);
    const oldTemplate: CfnTemplate = before?.template ?? {};
    const diff = fullDiff(oldTemplate, stack.template);
    const tally: Counts = { added: 0, updated: 0, replaced: 0, removed: 0 };
    diff.resources.forEachDifference((logicalId, change) => {
      const where = { stack: stack.stackName, region: stack.region, logicalId };
      if (change.isAddition) tally.added++;
      else if (change.isRemoval) {
        tally.removed++;
        const old = change.oldValue;
        if (old)
          changes.push(
            judgeChange(
              where,
              old,
              change.changeImpact === ResourceImpact.WILL_ORPHAN ? 'orphaned' : 'destroyed',
            ),
          );
      } else if (
        change.changeImpact === ResourceImpact.WILL_REPLACE ||
        change.changeImpact === ResourceImpact.MAY_REPLACE
      ) {
        tally.replaced++;
        const old = change.oldValue;
        if (old)
          changes.push(
            judgeChange(
              where,
              old,
              change.changeImpact === ResourceImpact.WILL_REPLACE ? 'replaced' : 'may be replaced',
            ),
          );
      } else if (change.isDifferent) tally.updated++;
    });
    counts[stack.stackName] = tally;
    const replicaChange = replicaDelta(before, stack);
    if (replicaChange > 1)
      notes.push(
        `unsafe: ${stack.stackName}: ${replicaChange} replica changes in one update; CloudFormation allows one`,
      );
    // Records that exist while this stack updates: every stack's as it stands, this one's old too
    // (CloudFormation deletes the records it drops only after creating the new ones).
    const standing = [...current.values()].filter((other) => other.stackName !== stack.stackName);
    conflicts.push(...recordConflicts(before, stack, standing));
    current.set(stack.stackName, stack);
  }
  return {
    kind: 'deploy',
    title,
    command,
    stacks: stacks.map((stack) => ({ name: stack.stackName, region: stack.region })),
    changes: changes.filter((change) => change.stateful || change.dataMove || change.impact !== 'destroyed'),
    counts,
    conflicts,
    notes,
  };
}

/** How many replicas one update of the primary adds or removes. */
function replicaDelta(before: StackTemplate | undefined, after: StackTemplate): number {
  if (!before) return 0;
  const old = new Set(replicaRegionsOf(before));
  const now = new Set(replicaRegionsOf(after));
  return (
    [...old].filter((region) => !now.has(region)).length +
    [...now].filter((region) => !old.has(region)).length
  );
}

/** What the stage change does to data the templates do not show, before the deploys. */
function dataMovesBefore(from: Stage, to: Stage): MoveStep[] {
  const a = capabilitiesOf(from);
  const b = capabilitiesOf(to);
  const steps: MoveStep[] = [];
  if (a.jobs === 'sqs' && b.jobs !== 'sqs')
    steps.push(
      dataStep(
        'Let the job queue drain: the target stage runs jobs inline and deletes the queue',
        'aws sqs get-queue-attributes --queue-url <JobsQueue URL> --attribute-names ApproximateNumberOfMessages  # until 0',
      ),
    );
  if (STAGES.indexOf(to) < STAGES.indexOf(from))
    steps.push(
      dataStep(
        'Back up the table before moving down (its items stay; the backup is for going back)',
        'growstack backup --aws --table <table> --out table.jsonl.gz',
      ),
    );
  return steps;
}

/** What moves on its own after the deploys, said so nobody looks for a command. */
function dataMovesAfter(from: Stage, to: Stage): MoveStep[] {
  const a = capabilitiesOf(from);
  const b = capabilitiesOf(to);
  const notes: string[] = [];
  if (a.sessions !== b.sessions) {
    if (b.sessions === 'cognito')
      notes.push(
        "accounts move to the Cognito user pool on each user's first sign-in; sessions of the old stage end, so everyone signs in once more",
      );
    else
      notes.push(
        `sessions move from ${a.sessions === 'dynamodb' ? 'the table' : a.sessions === 'redis' ? 'Redis' : 'Cognito'} to ${b.sessions === 'dynamodb' ? 'the table' : 'Redis'}: sessions of the old stage end, so everyone signs in once more`,
      );
  }
  if (a.search !== 'opensearch' && b.search === 'opensearch')
    notes.push(
      "the search domain starts empty: the indexer adds items as they change (from the table's stream); the in-process index serves until then",
    );
  if (a.security.complianceRecording !== b.security.complianceRecording && b.security.complianceRecording)
    notes.push(
      'the audit trail moves to a new bucket with S3 Object Lock (which can be set only when a bucket is created); the old bucket keeps the logs so far',
    );
  if (notes.length === 0) return [];
  return [
    {
      kind: 'data',
      title: 'Data that moves by itself after the deploys',
      command: '',
      stacks: [],
      changes: [],
      counts: {},
      conflicts: [],
      notes,
    },
  ];
}

function dataStep(title: string, command: string): MoveStep {
  return { kind: 'data', title, command, stacks: [], changes: [], counts: {}, conflicts: [], notes: [] };
}
