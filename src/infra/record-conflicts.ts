import type { CfnResource, StackTemplate } from './template-cache.js';

/** A record a deploy would create at a name where Route 53 already holds a record it cannot sit beside. */
export interface RecordConflict {
  readonly stack: string;
  readonly logicalId: string;
  readonly name: string;
  readonly message: string;
}

interface RecordSet {
  readonly stack: string;
  readonly logicalId: string;
  readonly name: string;
  readonly type: string;
  readonly setIdentifier: string | undefined;
}

const RECORD_SET = 'AWS::Route53::RecordSet';

function recordsOf(stack: StackTemplate): RecordSet[] {
  return Object.entries(stack.template.Resources ?? {})
    .filter(([, resource]) => resource.Type === RECORD_SET)
    .map(([logicalId, resource]) => toRecord(stack.stackName, logicalId, resource));
}

function toRecord(stack: string, logicalId: string, resource: CfnResource): RecordSet {
  const props = resource.Properties ?? {};
  const name = typeof props.Name === 'string' ? props.Name.replace(/\.$/, '') : JSON.stringify(props.Name);
  return {
    stack,
    logicalId,
    name,
    type: String(props.Type),
    setIdentifier: typeof props.SetIdentifier === 'string' ? props.SetIdentifier : undefined,
  };
}

/**
 * Why Route 53 refuses `b` while `a` exists, or undefined when they can share the name: a CNAME
 * shares its name with no other type, a simple record not with a routed one of its type, and no
 * two records of one type share a set identifier (or both lack one).
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/ResourceRecordTypes.html#CNAMEFormat
 */
function refusal(a: RecordSet, b: RecordSet): string | undefined {
  if (a.name !== b.name) return undefined;
  if (a.type !== b.type)
    return a.type === 'CNAME' || b.type === 'CNAME'
      ? `a CNAME cannot share its name with a ${a.type === 'CNAME' ? b.type : a.type} record`
      : undefined;
  if ((a.setIdentifier === undefined) !== (b.setIdentifier === undefined))
    return `a simple ${a.type} record cannot share its name with a routed (latency) one`;
  if (a.setIdentifier === b.setIdentifier)
    return `two ${a.type} records with ${a.setIdentifier ? `set identifier ${a.setIdentifier}` : 'no set identifier'}`;
  return undefined;
}

/**
 * The records a stack's update creates or changes that collide with records standing while it
 * runs: the other stacks' records, and this stack's old records that the update removes or
 * replaces (CloudFormation deletes those only after the new ones exist). A record updated in
 * place is checked against everything but its own old version.
 */
export function recordConflicts(
  before: StackTemplate | undefined,
  after: StackTemplate,
  otherStacks: readonly StackTemplate[],
): RecordConflict[] {
  const old = new Map((before ? recordsOf(before) : []).map((record) => [record.logicalId, record]));
  const standingElsewhere = otherStacks.flatMap(recordsOf);
  const conflicts: RecordConflict[] = [];
  for (const record of recordsOf(after)) {
    const previous = old.get(record.logicalId);
    const unchanged =
      previous &&
      previous.name === record.name &&
      previous.type === record.type &&
      previous.setIdentifier === record.setIdentifier;
    if (unchanged) continue;
    // Changing the name, type or set identifier replaces the record: the old stays until cleanup.
    const replacedInPlace =
      previous !== undefined && previous.type === record.type && previous.name === record.name;
    const standing = [
      ...standingElsewhere,
      ...[...old.values()].filter((other) => other.logicalId !== record.logicalId || !replacedInPlace),
    ];
    for (const other of standing) {
      const why = refusal(other, record);
      if (!why) continue;
      conflicts.push({
        stack: after.stackName,
        logicalId: record.logicalId,
        name: record.name,
        message: `${after.stackName} ${record.logicalId}: ${record.type} ${record.name} would be created while ${other.stack} ${other.logicalId} (${other.type}${other.setIdentifier ? `, ${other.setIdentifier}` : ''}) exists: ${why}; delete that record first`,
      });
    }
  }
  return conflicts;
}
