import type { Inventory } from './inventory.js';
import type { Traffic, UsageProfile } from './profile.js';

/**
 * One service's usage document for `priceUsage`, and the same document at zero traffic: what is
 * left of its bill then is the fixed cost the stage pays whether or not anybody visits.
 */
export interface UsagePart {
  readonly service: string;
  readonly usage: Record<string, unknown>;
  /** Field overrides that take the traffic out (omitted: the whole part is usage-driven). */
  readonly atZeroTraffic?: Record<string, unknown>;
  /** Omitted for parts that cost nothing at zero traffic by construction. */
  readonly fixedOnly?: boolean;
  /** An estimate the part rests on that the profile does not hold, printed with the plan. */
  readonly assumption?: string;
}

const HOURS_PER_MONTH = 730;
/** Lambda's SQS event source keeps five long polls (20 s) open per queue, billed as receives. */
const EVENT_SOURCE_POLLS = (5 * (HOURS_PER_MONTH * 3600)) / 20;
/** Average size of an analytics event and of a replicated item write. */
const EVENT_KB = 0.5;
const ITEM_KB = 1;
/** Requests per second one vCPU of the containerised API serves (see `npm run bench`). */
const REQUESTS_PER_VCPU_SECOND = 200;
/** Share of static-file requests CloudFront answers from its edge caches. */
const EDGE_HIT_RATIO = 0.9;
/** Hours a day the analytics warehouse runs queries. */
const WAREHOUSE_HOURS_PER_DAY = 2;
/** The ops console's top-products report: both windows, every five minutes, all month. */
const REPORT_QUERIES = 2 * 12 * 24 * 30;
/** JSON events compress about 6:1 with GZIP in the delivered files. */
const GZIP_RATIO = 6;
/** Changes AWS Config records to each resource a month: about a deploy a week that touches it. */
const CONFIG_CHANGES_PER_RESOURCE = 4;
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
const LOG_TRANSFORM_MS = 300;
const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;
const LOG_EVENT_OF = { api: 'API request', worker: 'job', indexer: 'index update' } as const;

const gb = (kb: number) => kb / 1024 / 1024;

/**
 * Every service a stage pays for, as usage documents: fixed quantities from the inventory,
 * traffic from the profile routed through what the stage has (a cache in front of the table,
 * containers instead of Lambda for the API, replicas in other regions...).
 */
export function usageParts(inventory: Inventory, traffic: Traffic, profile: UsageProfile): UsagePart[] {
  const parts: UsagePart[] = [];
  const regions = inventory.regions.length;
  const hasCache = inventory.apiCaches.length > 0 || inventory.cacheNodes.length > 0;
  const cachedReads = hasCache ? traffic.cacheableReads * profile.cacheHitRatio : 0;
  const jobs = inventory.queues > 0 ? traffic.emails : 0;
  const indexUpdates = inventory.searchDomains.length > 0 ? traffic.writes / 10 : 0;
  const logStore = logStoreOf(inventory, profile, {
    api: traffic.apiRequests,
    worker: jobs,
    indexer: indexUpdates,
  });

  // Lambda: the free tier is per account, so functions of one size are priced together.
  const invocations = {
    api:
      inventory.restApis > 0 ? traffic.apiRequests - (inventory.apiCaches.length > 0 ? cachedReads : 0) : 0,
    worker: jobs,
    indexer: indexUpdates,
    'log-transform': logStore.transformInvocations,
    'deploy-time': 0,
  };
  const durations = {
    api: profile.lambdaDurationMs,
    worker: 250,
    indexer: 200,
    'log-transform': LOG_TRANSFORM_MS,
    'deploy-time': 0,
  };
  const groups = new Map<string, { memoryMb: number; architecture: string; requests: number; ms: number }>();
  for (const fn of inventory.functions) {
    const key = `${fn.architecture}/${fn.memoryMb}`;
    const group = groups.get(key) ?? {
      memoryMb: fn.memoryMb,
      architecture: fn.architecture,
      requests: 0,
      ms: 0,
    };
    // Traffic is shared by a role's functions across regions.
    const sameRole = inventory.functions.filter((other) => other.role === fn.role).length;
    const requests = invocations[fn.role] / sameRole;
    group.requests += requests;
    group.ms += requests * durations[fn.role];
    groups.set(key, group);
  }
  let firstGroup = true;
  for (const group of groups.values()) {
    if (group.requests === 0) continue;
    parts.push({
      service: 'lambda',
      usage: {
        requests: Math.round(group.requests),
        durationMs: group.ms / group.requests,
        memoryMb: group.memoryMb,
        architecture: group.architecture,
        freeTier: firstGroup,
      },
    });
    firstGroup = false;
  }

  if (inventory.restApis > 0) {
    parts.push({
      service: 'apigateway',
      // Behind CloudFront: data transfer out is CloudFront's (origin fetches from AWS are free).
      usage: { apiType: 'rest', requests: Math.round(traffic.apiRequests) },
    });
    for (const size of inventory.apiCaches) {
      parts.push({
        service: 'apigateway',
        usage: { apiType: 'rest', cacheSizeGb: Number(size), freeTier: false },
        fixedOnly: true,
      });
    }
  }

  if (inventory.distributions > 0) {
    const edge = inventory.edgeFunctions > 0;
    parts.push({
      service: 'cloudfront',
      usage: {
        requests: Math.round(traffic.webRequests + traffic.apiRequests),
        dataTransferOutGb: traffic.webGb + traffic.apiResponseGb,
        // An edge function sees each page load (viewer request), not every file.
        ...(edge
          ? {
              lambdaEdgeRequests: Math.round(traffic.sessions * 2),
              lambdaEdgeDurationMs: 5,
              lambdaEdgeMemoryMb: 128,
            }
          : {}),
      },
    });
    parts.push({
      service: 's3',
      usage: {
        storageGb: 0.05 + (inventory.deliveryStreams > 0 ? gb(traffic.analyticsEvents * EVENT_KB) : 0),
        getRequests: Math.round(traffic.webRequests * (1 - EDGE_HIT_RATIO)),
        putRequests: 200 + (inventory.deliveryStreams > 0 ? 730 * 12 : 0),
      },
      atZeroTraffic: { getRequests: 0 },
    });
  }

  const readUnits = (traffic.reads - cachedReads) * profile.readUnitsPerRead;
  const writeUnits = traffic.writes * profile.writeUnitsPerWrite;
  const replicas = Math.max(1, inventory.tableReplicas);
  parts.push({
    service: 'dynamodb',
    usage: {
      readRequestUnits: Math.round(readUnits),
      writeRequestUnits: Math.round(writeUnits),
      // Each replica stores the whole table.
      storageGb: traffic.storageGb * replicas,
      pitr: inventory.pointInTimeRecovery,
      replicatedWriteUnits: Math.round(writeUnits * (replicas - 1)),
      ...(inventory.searchDomains.length > 0 ? { streamReadRequests: Math.round(traffic.writes / 10) } : {}),
    },
  });
  if (inventory.backupRetentionDays > 0) {
    // A daily full backup kept for the retention period.
    parts.push({
      service: 'backup',
      usage: { dynamodbWarmGb: traffic.storageGb * inventory.backupRetentionDays },
    });
  }
  if (replicas > 1) {
    parts.push({
      service: 'datatransfer',
      usage: { interRegionGb: gb(traffic.writes * ITEM_KB * (replicas - 1)) },
    });
  }

  if (inventory.queues > 0) {
    parts.push({
      service: 'sqs',
      // Send, receive and delete per job, plus the event source's long polls.
      usage: { requests: Math.round(jobs * 3 + EVENT_SOURCE_POLLS * regions), messageKb: 1 },
      atZeroTraffic: { requests: Math.round(EVENT_SOURCE_POLLS * regions) },
    });
  }
  parts.push({ service: 'ses', usage: { emails: Math.round(traffic.emails) } });
  if (inventory.topics > 0) {
    parts.push({
      service: 'sns',
      usage: { publishes: 30 * inventory.topics, emailDeliveries: 30 * inventory.topics },
      fixedOnly: true,
    });
  }

  parts.push({
    service: 'cloudwatch',
    usage: {
      logsIngestedGb: traffic.logGb,
      // Thirty days kept: about one month of logs at any time, compressed about 6:1 as AWS bills storage.
      logsStoredGb: traffic.logGb / 6,
      customMetrics: 8 * regions,
      alarms: inventory.alarmMetrics,
      dashboards: inventory.dashboards,
    },
    atZeroTraffic: { logsIngestedGb: 0, logsStoredGb: 0 },
  });
  if (inventory.tracing) {
    parts.push({
      service: 'xray',
      usage: { tracesRecorded: Math.round(traffic.apiRequests * profile.traceSampleRate) },
    });
  }

  if (inventory.natGateways > 0) {
    parts.push({
      service: 'natgateway',
      // DynamoDB and S3 go through gateway endpoints; SQS, SES and the rest leave through NAT.
      usage: { gateways: inventory.natGateways, dataProcessedGb: traffic.apiResponseGb * 0.05 },
      atZeroTraffic: { dataProcessedGb: 0 },
    });
  }
  if (inventory.loadBalancers > 0) {
    // LCUs: the largest of new connections (25/s), processed bytes (1 GB/h) and rule evaluations.
    const perBalancerRps = traffic.averageRps / inventory.loadBalancers;
    const processedGbPerHour = traffic.apiResponseGb / HOURS_PER_MONTH / inventory.loadBalancers;
    parts.push({
      service: 'alb',
      usage: {
        loadBalancers: inventory.loadBalancers,
        lcus: Math.max(perBalancerRps / 25, processedGbPerHour, perBalancerRps / 1000),
      },
      atZeroTraffic: { lcus: 0 },
    });
  }
  for (const service of inventory.containerServices) {
    const perService = traffic.peakRps / inventory.containerServices.length;
    const needed = Math.ceil(perService / (REQUESTS_PER_VCPU_SECOND * service.vcpu));
    const usage = {
      platform: service.platform,
      architecture: service.architecture,
      vcpu: service.vcpu,
      memoryGb: service.memoryGb,
      hoursPerTask: HOURS_PER_MONTH,
    };
    parts.push({ service: 'fargate', usage: { ...usage, tasks: service.tasks }, fixedOnly: true });
    // Autoscaling adds tasks for the peak; on average they run a third of the month.
    if (needed > service.tasks)
      parts.push({
        service: 'fargate',
        usage: { ...usage, tasks: needed - service.tasks, hoursPerTask: HOURS_PER_MONTH / 3 },
      });
  }
  const nodes = new Map<string, { nodeType: string; engine: string; nodes: number }>();
  for (const node of inventory.cacheNodes) {
    const key = `${node.engine}/${node.nodeType}`;
    const entry = nodes.get(key) ?? { nodeType: node.nodeType, engine: node.engine, nodes: 0 };
    entry.nodes += 1;
    nodes.set(key, entry);
  }
  for (const entry of nodes.values())
    parts.push({ service: 'elasticache', usage: { mode: 'nodes', ...entry }, fixedOnly: true });
  if (inventory.webAcls.length > 0) {
    parts.push({
      service: 'waf',
      usage: {
        webAcls: inventory.webAcls.length,
        rules: inventory.webAcls.reduce((sum, rules) => sum + rules, 0),
        // The edge ACL sees every request; a regional ACL sees the API requests that reach it.
        requests: Math.round(traffic.webRequests + traffic.apiRequests * 2),
      },
      atZeroTraffic: { requests: 0 },
    });
  }
  if (inventory.shieldAdvanced) {
    parts.push({
      service: 'shield',
      usage: { subscription: true, cloudfrontDataOutGb: traffic.webGb + traffic.apiResponseGb },
      atZeroTraffic: { cloudfrontDataOutGb: 0 },
    });
  }
  if (inventory.hostedZones > 0 || inventory.healthChecks > 0) {
    parts.push({
      service: 'route53',
      // Resolvers cache answers: about two latency-routed lookups per session.
      usage: {
        hostedZones: inventory.hostedZones,
        healthChecks: inventory.healthChecks,
        latencyQueries: Math.round(traffic.sessions * 2),
      },
      atZeroTraffic: { latencyQueries: 0 },
    });
  }
  if (inventory.eksClusters > 0)
    parts.push({ service: 'eks', usage: { clusters: inventory.eksClusters }, fixedOnly: true });
  if (inventory.userPools > 0) parts.push({ service: 'cognito', usage: { mau: profile.users } });
  for (const domain of inventory.searchDomains)
    parts.push({ service: 'opensearch', usage: { ...domain }, fixedOnly: true });
  if (inventory.streams > 0) {
    parts.push({
      service: 'kinesis',
      usage: {
        mode: 'on-demand',
        streams: inventory.streams,
        records: Math.round(traffic.analyticsEvents),
        recordKb: EVENT_KB,
      },
      atZeroTraffic: { records: 0 },
    });
  }
  if (inventory.deliveryStreams > 0) {
    parts.push({
      service: 'firehose',
      usage: { records: Math.round(traffic.analyticsEvents), recordKb: EVENT_KB },
    });
  }
  if (inventory.logDeliveryStreams.length > 0) {
    const azs = inventory.logDeliveryStreams.reduce((sum, stream) => sum + stream.vpcAzs, 0);
    parts.push({
      service: 'firehose',
      usage: {
        records: Math.round(logStore.events * LOG_RECORDS_PER_EVENT),
        recordKb: profile.logKbPerRequest,
        ...(azs > 0 ? { vpcDeliveryAzs: azs, vpcDeliveryGb: logStore.gb } : {}),
      },
      atZeroTraffic: { records: 0, ...(azs > 0 ? { vpcDeliveryGb: 0 } : {}) },
      assumption: logStore.assumption,
    });
    parts.push({ service: 'opensearch', usage: { instances: 0, logStorageGb: logStore.storedGb } });
  }
  for (const [index, recorder] of inventory.configRecorders.entries()) {
    // Deploys, not visitors, change resources: the same at zero traffic.
    parts.push({
      service: 'config',
      usage: {
        configurationItems: recorder.resources * CONFIG_CHANGES_PER_RESOURCE,
        ruleEvaluations: Math.round(ruleEvaluationsOf(recorder)),
      },
      fixedOnly: true,
      ...(index === 0 ? { assumption: configAssumption(inventory) } : {}),
    });
  }
  if (inventory.queryWorkgroups > 0) {
    // A query prunes to the days it needs (two at most) of compressed event files.
    const twoDays = gb(((traffic.analyticsEvents / 30) * 2 * EVENT_KB) / GZIP_RATIO);
    parts.push({
      service: 'athena',
      usage: { queries: REPORT_QUERIES, gbScannedPerQuery: twoDays },
      atZeroTraffic: { gbScannedPerQuery: 0 },
    });
  }
  for (const baseRpu of inventory.warehouses) {
    parts.push({
      service: 'redshift',
      usage: {
        rpuHours: baseRpu * WAREHOUSE_HOURS_PER_DAY * 30,
        baseRpu,
        storageGb: gb(traffic.analyticsEvents * EVENT_KB),
      },
      atZeroTraffic: { storageGb: 0 },
    });
  }
  return parts;
}

/** A recorder's month of rule evaluations: each recorded change of a resource in scope, and each scheduled run. */
function ruleEvaluationsOf(recorder: Inventory['configRecorders'][number]): number {
  return recorder.rules.reduce(
    (sum, rule) =>
      sum +
      (rule.changeTriggered ? rule.resourcesInScope * CONFIG_CHANGES_PER_RESOURCE : 0) +
      rule.runsPerMonth * rule.resourcesInScope,
    0,
  );
}

function configAssumption(inventory: Inventory): string {
  const recorders = inventory.configRecorders;
  const resources = recorders.reduce((sum, recorder) => sum + recorder.resources, 0);
  const evaluations = recorders.reduce((sum, recorder) => sum + ruleEvaluationsOf(recorder), 0);
  const rules = recorders.reduce((sum, recorder) => sum + recorder.rules.length, 0);
  return `${recorders.length} recorders over ${resources} recorded resources, each changed ${CONFIG_CHANGES_PER_RESOURCE} times a month (about a deploy a week): ${(resources * CONFIG_CHANGES_PER_RESOURCE).toLocaleString('en-US')} configuration items; ${rules} rules, ${Math.round(evaluations).toLocaleString('en-US')} evaluations (on each change in scope, and daily for periodic rules)`;
}

/**
 * The log store's month: log events shipped (one per API request, worker job and index update, of
 * the profile's log size, for the log groups a subscription filter ships), the transform's
 * invocations, and the GB the daily indices keep.
 */
function logStoreOf(
  inventory: Inventory,
  profile: UsageProfile,
  runs: Readonly<Record<'api' | 'worker' | 'indexer', number>>,
) {
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
