import type { Inventory } from '../inventory.js';
import type { UsageProfile } from '../profile.js';
import {
  GZIP_RATIO,
  gb,
  HOURS_PER_MONTH,
  type LogStoreMonth,
  type StageMonth,
  type UsagePart,
} from './context.js';

/**
 * Firehose records ingested per log event in the log store. CloudWatch Logs ships events in GZIP'd
 * batches (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html) and
 * OpenSearch indexes one document per record, so the transform answers a batch with its first
 * event and puts the others back into the stream one record each: one record per event, each
 * billed at least 5 KB. A batch goes back whole only when a response would pass Lambda's 6 MB,
 * which a 1 MB buffer cannot reach; raise this if the transform's buffer grows.
 */
const LOG_RECORDS_PER_EVENT = 1;
/** One replica of each shard, and an index about 10 % larger than the JSON it holds. */
const LOG_INDEX_COPIES = 2;
const LOG_INDEX_OVERHEAD = 1.1;
/** Time the transform takes over one buffer of log records. */
export const LOG_TRANSFORM_MS = 300;
const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;
const LOG_EVENT_OF = { api: 'API request', worker: 'job', indexer: 'index update' } as const;

/**
 * The log store's month: log events shipped (one per API request, worker job and index update, of
 * the profile's log size, for the log groups a subscription filter ships), the transform's
 * invocations, and the GB the daily indices keep.
 */
export function logStoreOf(
  inventory: Inventory,
  profile: UsageProfile,
  runs: Readonly<Record<'api' | 'worker' | 'indexer', number>>,
): LogStoreMonth {
  const streams = inventory.logDeliveryStreams;
  if (streams.length === 0) return { events: 0, gb: 0, storedGb: 0, transformInvocations: 0, assumption: '' };
  const shipped = new Set(inventory.subscriptionFilters);
  const sources = (['api', 'worker', 'indexer'] as const).filter((source) => shipped.has(source));
  const events = sources.reduce((sum, source) => sum + runs[source], 0);
  const shippedGb = gb(events * profile.logKbPerRequest);
  let storedGb = 0;
  let transformInvocations = 0;
  for (const stream of streams) {
    const streamGb = shippedGb / streams.length;
    storedGb += (streamGb / DAYS_PER_MONTH) * stream.retentionDays * LOG_INDEX_COPIES * LOG_INDEX_OVERHEAD;
    // Firehose flushes to the transform when the buffer fills, and at least every interval; the
    // transform reads the GZIP'd batches, then the events it put back.
    const bySize = (streamGb * 1024 * (1 + 1 / GZIP_RATIO)) / stream.transformBufferMb;
    const byTime = (HOURS_PER_MONTH * 3600) / stream.transformIntervalSeconds;
    if (events > 0) transformInvocations += Math.max(bySize, byTime);
  }
  const domainGb =
    inventory.searchDomains.reduce((sum, domain) => sum + domain.storageGb, 0) / streams.length;
  const retention = [...new Set(streams.map((stream) => stream.retentionDays))].join('/');
  const assumption =
    `log store: ${Math.round(events).toLocaleString('en-US')} log events (one per ${sources.map((source) => LOG_EVENT_OF[source]).join(', ') || 'nothing shipped'}) of ${profile.logKbPerRequest} KB${shipped.has('other') ? ', plus log groups the model cannot size' : ''}, ` +
    `${LOG_RECORDS_PER_EVENT} Firehose record each (a CloudWatch Logs batch carries its first event, the transform puts the others back one record each; 5 KB minimum a record); ` +
    `${Math.round(transformInvocations).toLocaleString('en-US')} transform invocations of ${LOG_TRANSFORM_MS} ms; ` +
    `${retention} days of daily indices with a replica and 10 % overhead: ${Math.round(storedGb / streams.length).toLocaleString('en-US')} GB per region, priced as gp3 storage on top of the domain's ${Math.round(domainGb).toLocaleString('en-US')} GB (its volumes must grow to hold them)`;
  return { events, gb: shippedGb, storedGb, transformInvocations, assumption };
}

/** The log store's delivery streams and the index storage they add to the search domains. */
export function logStoreParts({ inventory, profile, logStore }: StageMonth): UsagePart[] {
  if (inventory.logDeliveryStreams.length === 0) return [];
  const azs = inventory.logDeliveryStreams.reduce((sum, stream) => sum + stream.vpcAzs, 0);
  return [
    {
      service: 'firehose',
      usage: {
        records: Math.round(logStore.events * LOG_RECORDS_PER_EVENT),
        recordKb: profile.logKbPerRequest,
        ...(azs > 0 ? { vpcDeliveryAzs: azs, vpcDeliveryGb: logStore.gb } : {}),
      },
      atZeroTraffic: { records: 0, ...(azs > 0 ? { vpcDeliveryGb: 0 } : {}) },
      assumption: logStore.assumption,
    },
    { service: 'opensearch', usage: { instances: 0, logStorageGb: logStore.storedGb } },
  ];
}
