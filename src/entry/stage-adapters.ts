/**
 * One picker per port: each reads the stage table's column and returns the adapter it names,
 * or a ConfigError naming the setting the stage is missing. composeRuntime wires them together.
 */
import type { MiddlewareHandler } from 'hono';
import type { Redis } from 'ioredis';
import { type JobPorts, JobSchema, runJob } from '../app/jobs/jobs.js';
import { ConfigError } from '../contracts/errors.js';
import type {
  Cache,
  Clock,
  CostAdvisor,
  IdentityProvider,
  JobQueue,
  Logger,
  LoginThrottle,
  Metrics,
  Ports,
  SearchIndex,
  SessionStore,
} from '../contracts/ports.js';
import type { StageCapabilities } from '../contracts/stages.js';
import type { CachedTemplateReader } from '../contracts/templates.js';
import { CounterEventSink } from '../platform/adapters/counter-event-sink.js';
import type { createDynamoDbClient } from '../platform/adapters/dynamodb-client.js';
import {
  createTableSearchIndex,
  type DynamoDbTable,
  TableSessionStore,
} from '../platform/adapters/dynamodb-table-port.js';
import type { EmfMetrics } from '../platform/adapters/emf-metrics.js';
import { InlineJobQueue } from '../platform/adapters/inline-job-queue.js';
import { type CacheCounters, MemoryCache, NoCache } from '../platform/adapters/memory-cache.js';
import { MemorySearchIndex } from '../platform/adapters/memory-search-index.js';
import { PrometheusMetrics } from '../platform/adapters/prometheus-metrics.js';
import { RedisCache } from '../platform/adapters/redis-cache.js';
import { RedisLoginThrottle } from '../platform/adapters/redis-login-throttle.js';
import { RedisSessionStore } from '../platform/adapters/redis-sessions.js';
import { createSqsClient, SqsJobQueue } from '../platform/adapters/sqs-job-queue.js';
import type { Config } from '../platform/config.js';
import { rateLimit } from '../platform/http/rate-limit.js';
import {
  createReadiness,
  type DependencyProbe,
  queueProbe,
  redisProbe,
  tableProbe,
} from '../platform/runtime/readiness-checks.js';
import type { ComposeOptions } from './compose-options.js';
import type { StreamAnalytics } from './stream-analytics.js';

export function costAdvisorFor(
  metrics: PrometheusMetrics | EmfMetrics,
  costReport: ComposeOptions['costReport'],
  templates: CachedTemplateReader = () => undefined,
): CostAdvisor | undefined {
  if (!costReport || !(metrics instanceof PrometheusMetrics)) return undefined;
  return { report: async () => costReport((await metrics.render()).body, templates) };
}

/**
 * Picks the search adapter the stage table names. OpenSearch comes through the connector the
 * entry point passed (the container's); on a laptop, with no domain, the in-process index keeps
 * serving and says so in every answer's `engine`.
 */
export function searchFor(
  capabilities: StageCapabilities,
  config: Config,
  table: DynamoDbTable,
  openSearch: ComposeOptions['openSearch'],
): SearchIndex {
  switch (capabilities.search) {
    case 'table':
      return createTableSearchIndex(table);
    case 'memory-index':
      return new MemorySearchIndex(() => table.products.all());
    case 'opensearch':
      if (config.local && !config.opensearchEndpoint)
        return new MemorySearchIndex(() => table.products.all());
      if (!config.opensearchEndpoint)
        throw new ConfigError(
          `opensearchEndpoint (OPENSEARCH_ENDPOINT): required at stage '${config.stage}'`,
        );
      if (!openSearch)
        throw new ConfigError(
          `stage '${config.stage}' searches an OpenSearch domain, which this entry point does not carry`,
        );
      return openSearch(config.opensearchEndpoint, config.region);
  }
}

/** Picks the job queue the stage table names. */
export function jobsFor(
  capabilities: StageCapabilities,
  config: Config,
  ports: JobPorts,
  logger: Logger,
  metrics: Metrics,
): JobQueue {
  switch (capabilities.jobs) {
    case 'inline':
      return new InlineJobQueue((message) => runJob(JobSchema.parse(message), ports), logger);
    case 'sqs':
      if (!config.queueUrl)
        throw new ConfigError(`queueUrl (QUEUE_URL): required at stage '${config.stage}'`);
      return new SqsJobQueue(
        createSqsClient({ region: config.region, endpoint: config.sqsEndpoint }),
        config.queueUrl,
        (job, error) => {
          metrics.count('jobs_enqueue_failed');
          // The job's type only: its fields carry addresses and names, which stay out of the logs.
          logger.error({ jobType: job.type, err: error }, 'job not enqueued: the queue is unreachable');
        },
      );
  }
}

/** Picks the cache the stage table names. */
export function cacheFor(
  capabilities: StageCapabilities,
  counters: CacheCounters,
  redis: () => RedisAccess,
  logger: Logger,
): Cache {
  switch (capabilities.cache) {
    case 'none':
      return new NoCache();
    case 'memory':
      return new MemoryCache(counters);
    case 'redis':
      return new RedisCache(redis().client, redis().namespace, counters, logger);
  }
}

/** Picks where failed logins are counted: where the sessions are. */
export function loginThrottleFor(
  capabilities: StageCapabilities,
  table: DynamoDbTable,
  redis: () => RedisAccess,
): LoginThrottle {
  return capabilities.sessions === 'dynamodb'
    ? table.loginThrottle
    : new RedisLoginThrottle(redis().client, redis().namespace);
}

/** Picks the session store the stage table names. */
export function sessionsFor(
  capabilities: StageCapabilities,
  table: DynamoDbTable,
  redis: () => RedisAccess,
  clock: Clock,
): SessionStore {
  switch (capabilities.sessions) {
    case 'dynamodb':
      return new TableSessionStore(table.accounts);
    // With Cognito, the pool keeps the sessions; Redis keeps the tokens logged out before expiry.
    case 'redis':
    case 'cognito':
      return new RedisSessionStore(redis().client, redis().namespace, clock);
  }
}

/**
 * POST /api/events needs no sign-in: each client (the rate limiter's own client address) gets
 * `eventRateLimit` events per window, counted apart from the API-wide limit, in Redis where the
 * stage has it and in the process before that.
 */
export function eventLimiterFor(
  config: Config,
  capabilities: StageCapabilities,
  redis: () => RedisAccess,
  logger: Logger,
): MiddlewareHandler | undefined {
  const shared = capabilities.cache === 'redis' ? redis() : undefined;
  return rateLimit({
    limit: config.eventRateLimit,
    windowSeconds: config.eventRateLimitWindowSeconds,
    redis: shared ? { client: shared.client, namespace: `${shared.namespace}:events` } : undefined,
    logger,
  });
}

export interface RedisAccess {
  readonly client: Redis;
  /** Keys of this app start with it: the table name, unique per deployment. */
  readonly namespace: string;
}

/** One Redis client per runtime, made on first use by a stage that has Redis. */
export function lazyRedis(
  config: Config,
  logger: Logger,
  connect: ComposeOptions['redis'],
): { get: () => RedisAccess; close: () => void } {
  let access: RedisAccess | undefined;
  return {
    get() {
      if (!config.redisUrl)
        throw new ConfigError(`redisUrl (REDIS_URL): required at stage '${config.stage}'`);
      if (!connect)
        throw new ConfigError(
          `stage '${config.stage}' needs Redis, and this runtime has no Redis client (the API runs in containers from this stage on)`,
        );
      access ??= {
        client: connect({ url: config.redisUrl, authToken: config.redisAuthToken, logger }),
        namespace: config.tableName,
      };
      return access;
    },
    close: () => access?.client.disconnect(),
  };
}

/**
 * Picks where events go: counters in the table up to scaling; the Kinesis stream at enterprise,
 * through the connector the entry point passed in.
 */
export function analyticsFor(
  capabilities: StageCapabilities,
  config: Config,
  table: DynamoDbTable,
  logger: Logger,
  clock: Clock,
  connect: ComposeOptions['streamAnalytics'],
): StreamAnalytics {
  if (capabilities.analytics === 'dynamodb-counters')
    return { events: new CounterEventSink(table.counters), close: () => {} };
  if (!connect)
    throw new ConfigError(
      `stage '${config.stage}' sends analytics to a Kinesis stream, which this entry point does not carry`,
    );
  return connect(config, logger, clock);
}

/** The user pool sign-in the stage needs, as the entry point passed it. */
export function identityFor(
  capabilities: StageCapabilities,
  config: Config,
  identity: IdentityProvider | undefined,
): IdentityProvider | undefined {
  if (capabilities.sessions === 'cognito' && !identity && !config.local && !config.cognitoUserPoolId)
    throw new ConfigError(
      `cognitoUserPoolId (COGNITO_USER_POOL_ID): required at stage '${config.stage}', with cognitoClientId (COGNITO_CLIENT_ID)`,
    );
  if (capabilities.sessions === 'cognito' && !identity)
    throw new ConfigError(
      `stage '${config.stage}' signs users in through a Cognito user pool, which this entry point does not carry`,
    );
  return identity;
}

/**
 * What /api/health asks: the table always, Redis and the queue where the stage has them. The
 * in-process parts (memory cache, inline jobs) are listed as ok: they live as long as the process.
 */
export function readinessFor(
  capabilities: StageCapabilities,
  config: Config,
  client: ReturnType<typeof createDynamoDbClient>,
  redis: () => RedisAccess,
  clock: Clock,
): { readiness: Ports['readiness']; close: () => void } {
  const usesRedis = capabilities.cache === 'redis' || capabilities.sessions !== 'dynamodb';
  const sqs =
    capabilities.jobs === 'sqs' && config.queueUrl
      ? createSqsClient({ region: config.region, endpoint: config.sqsEndpoint })
      : undefined;
  const probes: DependencyProbe[] = [
    { name: 'table', mode: 'dynamodb', probe: tableProbe(client, config.tableName) },
    usesRedis
      ? { name: 'cache', mode: 'redis', probe: redisProbe(() => redis().client) }
      : { name: 'cache', mode: capabilities.cache },
    sqs && config.queueUrl
      ? { name: 'queue', mode: 'sqs', probe: queueProbe(sqs, config.queueUrl) }
      : { name: 'queue', mode: capabilities.jobs },
  ];
  return { readiness: createReadiness(probes, { clock }), close: () => sqs?.destroy() };
}
