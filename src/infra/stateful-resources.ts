import type { CfnResource } from './template-cache.js';

/** What a replaced or removed resource was, and what happens to what it held. */
export interface ResourceChange {
  readonly stack: string;
  readonly region: string;
  readonly logicalId: string;
  readonly type: string;
  /** What CloudFormation does to the resource that exists now. */
  readonly impact: 'replaced' | 'may be replaced' | 'destroyed' | 'orphaned';
  /** Whether it holds data that exists nowhere else (table, data buckets, users, zone, trail, search). */
  readonly stateful: boolean;
  /** For people: what it is and what becomes of its contents. */
  readonly detail: string;
  /** The data move that keeps its contents, when one is needed: a command or an action. */
  readonly dataMove?: string;
  /** False when contents are lost with no data move stated: `growstack migrate` exits 1. */
  readonly safe: boolean;
}

/** The commands that move the table's items (`growstack backup` / `restore`, on AWS). */
export const TABLE_DATA_MOVE =
  'before: growstack backup --aws --table <table> --out table.jsonl.gz; after: growstack restore --aws --table <table> --in table.jsonl.gz';

const retained = (resource: CfnResource, replaced: boolean) =>
  (replaced ? resource.UpdateReplacePolicy : resource.DeletionPolicy) === 'Retain';

/** The web UI's buckets hold only the built UI, which every deploy copies in again. */
const isWebUiBucket = (logicalId: string) => /^(SiteBucket|WebReplica)[0-9A-F]{8}$/.test(logicalId);

/**
 * Judges what a replacement or removal does to one resource. Stateful resources are the table,
 * buckets that hold data (logs, the audit trail, analytics), the user pool, the hosted zone and
 * the search domain; a retained one keeps its contents (orphaned: out of the stack, still billed).
 */
export function judgeChange(
  where: { stack: string; region: string; logicalId: string },
  resource: CfnResource,
  impact: ResourceChange['impact'],
): ResourceChange {
  const base = { ...where, type: resource.Type, impact };
  const replaced = impact === 'replaced' || impact === 'may be replaced';
  const kept = impact === 'orphaned' || retained(resource, replaced);
  const keptSo = replaced
    ? 'the old one is retained with its contents (out of the stack: delete it by hand once no longer needed)'
    : 'retained with its contents (out of the stack: delete it by hand once no longer needed)';
  switch (resource.Type) {
    case 'AWS::DynamoDB::GlobalTable':
    case 'AWS::DynamoDB::Table':
      // The table has a fixed name: CloudFormation cannot create its replacement beside it.
      return {
        ...base,
        stateful: true,
        detail: `the table: ${kept ? keptSo : 'its items are deleted'}; its fixed name also blocks a replacement`,
        dataMove: TABLE_DATA_MOVE,
        safe: false,
      };
    case 'AWS::S3::Bucket':
      if (isWebUiBucket(where.logicalId))
        return {
          ...base,
          stateful: false,
          detail: 'a web UI bucket: it holds only the built UI',
          safe: true,
        };
      return {
        ...base,
        stateful: true,
        detail: `${bucketKind(where.logicalId)}: ${kept ? keptSo : 'deleted with what it holds (CloudFormation refuses a bucket that is not empty)'}`,
        safe: kept,
      };
    case 'AWS::Cognito::UserPool':
      return {
        ...base,
        stateful: true,
        detail: `the user pool: ${kept ? `${keptSo}, but` : 'deleted, and'} users who signed up in it cannot sign in to the built-in accounts; no command moves them back`,
        safe: false,
      };
    case 'AWS::Route53::HostedZone':
      return {
        ...base,
        stateful: true,
        detail: `the hosted zone: ${kept ? keptSo : 'deleted with every record, and the registrar still points at its name servers'}`,
        safe: kept && !replaced,
      };
    case 'AWS::OpenSearchService::Domain':
      return {
        ...base,
        stateful: true,
        detail: `the search domain: ${kept ? `${keptSo}; it keeps running and billing until deleted` : "deleted: the product index can be rebuilt from the table, the log store's indices are lost"}`,
        safe: kept,
      };
    case 'AWS::SQS::Queue':
      return {
        ...base,
        stateful: false,
        detail: 'a job queue: jobs still in it are lost',
        dataMove: `wait until the queue is empty: aws sqs get-queue-attributes --region ${where.region} --queue-url <its URL> --attribute-names ApproximateNumberOfMessages shows 0`,
        safe: true,
      };
    default:
      return {
        ...base,
        stateful: false,
        detail: kept ? 'kept in the account, out of the stack' : 'holds no data of its own',
        safe: true,
      };
  }
}

function bucketKind(logicalId: string): string {
  if (logicalId.startsWith('AuditTrail')) return 'the audit-trail bucket (CloudTrail logs)';
  if (/AccessLogs/.test(logicalId)) return `an access-log bucket (${logicalId})`;
  if (logicalId.startsWith('Analytics')) return `an analytics bucket (${logicalId})`;
  return `a bucket (${logicalId})`;
}
