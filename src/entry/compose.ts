import type { Hono, MiddlewareHandler } from 'hono';
import type { Redis } from 'ioredis';
import { createStorefrontApi, type StorefrontApi } from '../app/http.js';
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
  OpsCostReport,
  Ports,
  SearchIndex,
  SessionStore,
} from '../contracts/ports.js';
import { capabilitiesOf, type StageCapabilities } from '../contracts/stages.js';
import type { TraceStore } from '../contracts/traces.js';
import { CounterEventSink } from '../platform/adapters/counter-event-sink.js';
import { createDynamoDbClient } from '../platform/adapters/dynamodb-client.js';
import {
  createDynamoDbTable,
  createTableSearchIndex,
  type DynamoDbTable,
  TableSessionStore,
} from '../platform/adapters/dynamodb-table-adapter.js';
import { EmfMetrics } from '../platform/adapters/emf-metrics.js';
import { InlineJobQueue } from '../platform/adapters/inline-job-queue.js';
import { type CacheCounters, MemoryCache, NoCache } from '../platform/adapters/memory-cache.js';
import { MemorySearchIndex } from '../platform/adapters/memory-search-index.js';
import { createPinoLogger } from '../platform/adapters/pino-logger.js';
import { PrometheusMetrics } from '../platform/adapters/prometheus-metrics.js';
import { RedisCache } from '../platform/adapters/redis-cache.js';
import type { RedisClientOptions } from '../platform/adapters/redis-client.js';
import { RedisLoginThrottle } from '../platform/adapters/redis-login-throttle.js';
import { RedisSessionStore } from '../platform/adapters/redis-sessions.js';
import { SesMailer } from '../platform/adapters/ses-mailer.js';
import { createSqsClient, SqsJobQueue } from '../platform/adapters/sqs-job-queue.js';
import type { Config } from '../platform/config.js';
import { clientAddress } from '../platform/http/client-address.js';
import { createHttpApp } from '../platform/http/create-http-app.js';
import { devMailRoutes } from '../platform/http/dev-mail-routes.js';
import { rateLimit } from '../platform/http/rate-limit.js';
import {
  createReadiness,
  type DependencyProbe,
  queueProbe,
  redisProbe,
  tableProbe,
} from '../platform/runtime/readiness-checks.js';
import type { StreamAnalytics } from './stream-analytics.js';

export interface Runtime {
  readonly config: Config;
  /** The whole HTTP app: /api, /api/docs, /metrics. */
  readonly app: Hono;
  readonly ports: Ports;
  readonly metrics: PrometheusMetrics | EmfMetrics;
  readonly services: StorefrontApi['services'];
  /** Releases clients and timers. */
  close(): void;
}

export interface ComposeOptions {
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** The built web UI to serve at / (the local server); absent on Lambda. */
  readonly webRoot?: string;
  /** Prices the stages from /metrics for the ops console; never on Lambda, kept free of the cost model. */
  readonly costReport?: (metricsText: string) => OpsCostReport;
  /**
   * Connects to Redis (createRedisClient), for stages with a Redis cache and sessions. Passed by
   * the container server and the local supervisor; the Lambda handlers leave it out so their
   * bundles carry no Redis client (no Lambda serves the API at those stages).
   */
  readonly redis?: (options: RedisClientOptions) => Redis;
  /**
   * Connects the Kinesis event stream (streamAnalytics), for the enterprise stage. Like `redis`,
   * passed by the entry points that serve that stage, so the Lambda bundles carry no Kinesis client.
   */
  readonly streamAnalytics?: (config: Config, logger: Logger, clock: Clock) => StreamAnalytics;
  /**
   * Sign-in through the Cognito user pool (CognitoIdentity on AWS, LocalCognitoIdentity on a
   * laptop): the enterprise stage's, passed by its entry points; tests pass one at other stages.
   */
  readonly identity?: IdentityProvider;
  /** Connects the OpenSearch domain's product index (enterprise on AWS), like `redis`. */
  readonly openSearch?: (endpoint: string, region: string) => SearchIndex;
  /** The traces the process keeps (local runs: local-traces.ts), for the ops console. */
  readonly traces?: TraceStore;
}

function costAdvisorFor(
  metrics: PrometheusMetrics | EmfMetrics,
  costReport: ComposeOptions['costReport'],
): CostAdvisor | undefined {
  if (!costReport || !(metrics instanceof PrometheusMetrics)) return undefined;
  return { report: async () => costReport((await metrics.render()).body) };
}

/**
 * Picks the search adapter the stage table names. OpenSearch comes through the connector the
 * entry point passed (the container's); on a laptop, with no domain, the in-process index keeps
 * serving and says so in every answer's `engine`.
 */
function searchFor(
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
function jobsFor(
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
function cacheFor(
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
function loginThrottleFor(
  capabilities: StageCapabilities,
  table: DynamoDbTable,
  redis: () => RedisAccess,
): LoginThrottle {
  return capabilities.sessions === 'dynamodb'
    ? table.loginThrottle
    : new RedisLoginThrottle(redis().client, redis().namespace);
}

/** Picks the session store the stage table names. */
function sessionsFor(
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
function eventLimiterFor(
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

interface RedisAccess {
  readonly client: Redis;
  /** Keys of this app start with it: the table name, unique per deployment. */
  readonly namespace: string;
}

/** One Redis client per runtime, made on first use by a stage that has Redis. */
function lazyRedis(
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
function analyticsFor(
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
function identityFor(
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
function readinessFor(
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

/**
 * The composition root: reads the stage table and wires one adapter per port, then builds the
 * HTTP app. The same function serves Lambda, the container and the local supervisor.
 */
export function composeRuntime(config: Config, options: ComposeOptions = {}): Runtime {
  const capabilities = capabilitiesOf(config.stage);
  const clock: Clock = options.clock ?? { now: () => new Date() };
  const logger = options.logger ?? createPinoLogger(config.logLevel, { stage: config.stage });
  const client = createDynamoDbClient({ region: config.region, endpoint: config.dynamodbEndpoint });
  const table = createDynamoDbTable(client, config.tableName, () => clock.now());
  const metrics =
    config.telemetry === 'emf' ? new EmfMetrics(config.stage) : new PrometheusMetrics(config.stage);
  const mailer = new SesMailer(config.mailFrom, { region: config.region, endpoint: config.sesEndpoint });
  const redis = lazyRedis(config, logger, options.redis);
  const analytics = analyticsFor(capabilities, config, table, logger, clock, options.streamAnalytics);
  const readiness = readinessFor(capabilities, config, client, redis.get, clock);
  const ports: Ports = {
    table,
    sessions: sessionsFor(capabilities, table, redis.get, clock),
    loginThrottle: loginThrottleFor(capabilities, table, redis.get),
    identity: identityFor(capabilities, config, options.identity),
    search: searchFor(capabilities, config, table, options.openSearch),
    jobs: jobsFor(capabilities, config, { mailer, counters: table.counters }, logger, metrics),
    mailer,
    cache: cacheFor(capabilities, metrics.cacheCounters, redis.get, logger),
    events: analytics.events,
    analytics: analytics.report,
    clock,
    metrics,
    logger,
    costAdvisor: costAdvisorFor(metrics, options.costReport),
    readiness: readiness.readiness,
  };
  const storefront = createStorefrontApi(
    {
      ports,
      stage: config.stage,
      capabilities,
      local: config.local,
      traces: options.traces,
      // The login throttle counts per client by the address the rate limiter counts by.
      clientAddress: (c) => clientAddress(c),
    },
    {
      sessionTtlHours: config.sessionTtlHours,
      sessionIdleMinutes: config.sessionIdleMinutes,
      passwordHashCost: config.passwordHashCost,
      orderLimits: {
        maxLineQuantity: config.orderMaxLineQuantity,
        maxQuantity: config.orderMaxQuantity,
        maxProductQuantityPerWindow: config.orderMaxProductQuantityPerWindow,
        windowHours: config.orderWindowHours,
      },
      eventLimiter: eventLimiterFor(config, capabilities, redis.get, logger),
    },
  );
  const devRoutes = config.local && config.sesEndpoint ? devMailRoutes(config.sesEndpoint) : undefined;
  const app = createHttpApp({
    api: storefront.api,
    logger,
    metrics,
    devRoutes,
    webRoot: options.webRoot,
    edge: {
      trustedProxies: config.trustedProxies,
      originSecret: config.originVerifySecret,
      requireOrigin: config.originVerifyRequired,
    },
    rateLimit: {
      limit: config.rateLimit,
      windowSeconds: config.rateLimitWindowSeconds,
      // Counters are shared through Redis where the stage has it; each process counts alone before.
      redis: capabilities.cache === 'redis' ? redis.get() : undefined,
      logger,
    },
  });
  return {
    config,
    app,
    ports,
    metrics,
    services: storefront.services,
    close: () => {
      client.destroy();
      redis.close();
      analytics.close();
      readiness.close();
    },
  };
}
