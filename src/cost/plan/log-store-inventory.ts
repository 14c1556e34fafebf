import type { RegionTemplate as Template } from '../../contracts/templates.js';

/** What writes a log group the log store ships: its volume follows that writer's traffic. */
export type LogSource = 'api' | 'worker' | 'indexer' | 'other';

/** A Firehose stream that ships log groups into the region's OpenSearch domain. */
export interface LogDeliveryStream {
  /** Availability zones (one per subnet) it delivers in inside the VPC; 0 for a public domain. */
  readonly vpcAzs: number;
  /** Days the ISM policy keeps a daily index. */
  readonly retentionDays: number;
  /** The transform Lambda is invoked when this buffer fills or its interval passes. */
  readonly transformBufferMb: number;
  readonly transformIntervalSeconds: number;
}

const num = (value: unknown, fallback: number) => {
  const parsed = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(parsed) ? parsed : fallback;
};

/** The part of a delivery stream's OpenSearch destination the cost depends on. */
export interface OpenSearchDestination {
  readonly VpcConfiguration?: { readonly SubnetIds?: unknown };
  readonly ProcessingConfiguration?: {
    readonly Processors?: { readonly Parameters?: { ParameterName?: string; ParameterValue?: unknown }[] }[];
  };
}

/** A log group's writer, from its name or logical id (`KubernetesApiLogs`, `/growstack/.../api`). */
export function logSourceOf(group: string): LogSource {
  if (/indexer/i.test(group)) return 'indexer';
  if (/worker/i.test(group)) return 'worker';
  if (/api/i.test(group)) return 'api';
  return 'other';
}

/** Days an index lives when the template sets none: the log store's retention by design. */
export const DEFAULT_LOG_RETENTION_DAYS = 14;

/** What a log store stream costs by: its VPC zones, its indices' lifetime, its transform's buffer. */
export function logStreamOf(destination: OpenSearchDestination, template: Template): LogDeliveryStream {
  const subnets = destination.VpcConfiguration?.SubnetIds;
  const parameters = (destination.ProcessingConfiguration?.Processors ?? []).flatMap(
    (processor) => processor.Parameters ?? [],
  );
  const parameter = (name: string, fallback: number) =>
    num(parameters.find((candidate) => candidate.ParameterName === name)?.ParameterValue, fallback);
  return {
    // A subnet list from a token (an import) is taken to span the domain's two zones.
    vpcAzs: destination.VpcConfiguration ? (Array.isArray(subnets) ? subnets.length : 2) : 0,
    retentionDays: ismRetentionDays(template) ?? setupRetentionDays(template) ?? DEFAULT_LOG_RETENTION_DAYS,
    // Firehose's defaults for a Lambda processor: 1 MB or 60 seconds, whichever comes first.
    transformBufferMb: parameter('BufferSizeInMBs', 1),
    transformIntervalSeconds: parameter('BufferIntervalInSeconds', 60),
  };
}

/**
 * The age at which an index state management policy in the template deletes an index (the largest
 * `min_index_age` of a policy that deletes), read from whatever resource carries the policy, as
 * JSON or as a JSON string inside it.
 */
function ismRetentionDays(template: Template): number | undefined {
  let days: number | undefined;
  for (const resource of Object.values(template.Resources ?? {})) {
    const text = JSON.stringify(resource.Properties ?? {});
    if (!text.includes('delete')) continue;
    for (const match of text.matchAll(/min_index_age\\*"\s*:\s*\\*"(\d+)d/g))
      days = Math.max(days ?? 0, Number(match[1]));
  }
  return days;
}

/**
 * The retention the domain's preparation writes into the lifecycle policy at deploy time: the
 * search indexer's `LOG_RETENTION_DAYS` setting (`logRetentionDays` in growstack.config.ts).
 */
function setupRetentionDays(template: Template): number | undefined {
  for (const resource of Object.values(template.Resources ?? {})) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const variables = (
      resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined
    )?.Variables;
    const days = Number(variables?.LOG_RETENTION_DAYS);
    if (Number.isInteger(days) && days > 0) return days;
  }
  return undefined;
}
