import type { Hono } from 'hono';
import { createStorefrontApi, type StorefrontApi } from '../app/http.js';
import type { Clock, Ports } from '../contracts/ports.js';
import { capabilitiesOf } from '../contracts/stages.js';
import { createDynamoDbClient } from '../platform/adapters/dynamodb-client.js';
import { createDynamoDbTable } from '../platform/adapters/dynamodb-table-port.js';
import { EmfMetrics } from '../platform/adapters/emf-metrics.js';
import { createPinoLogger } from '../platform/adapters/pino-logger.js';
import { PrometheusMetrics } from '../platform/adapters/prometheus-metrics.js';
import { SesMailer } from '../platform/adapters/ses-mailer.js';
import type { Config } from '../platform/config.js';
import { BufferedAccessLog } from '../platform/http/access-log.js';
import { clientAddress } from '../platform/http/client-address.js';
import { createHttpApp } from '../platform/http/create-http-app.js';
import { devMailRoutes } from '../platform/http/dev-mail-routes.js';
import type { ComposeOptions } from './compose-options.js';
import { crawlerPages } from './crawler-pages.js';
import {
  analyticsFor,
  cacheFor,
  costAdvisorFor,
  eventLimiterFor,
  identityFor,
  jobsFor,
  lazyRedis,
  loginThrottleFor,
  readinessFor,
  searchFor,
  sessionsFor,
} from './stage-adapters.js';

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

const systemClock: Clock = { now: () => new Date() };

/**
 * The composition root: reads the stage table and wires one adapter per port, then builds the
 * HTTP app. The same function serves Lambda, the container and the local supervisor.
 */
export function composeRuntime(config: Config, options: ComposeOptions = {}): Runtime {
  const capabilities = capabilitiesOf(config.stage);
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createPinoLogger(config.logLevel, { stage: config.stage });
  const client = createDynamoDbClient({ region: config.region, endpoint: config.dynamodbEndpoint });
  const table = createDynamoDbTable(client, config.tableName, () => clock.now());
  const metrics =
    config.telemetry === 'emf' ? new EmfMetrics(config.stage) : new PrometheusMetrics(config.stage);
  const mailer = new SesMailer(config.mailFrom, { region: config.region, endpoint: config.sesEndpoint });
  const redis = lazyRedis(config, logger, options.redis);
  const analytics = analyticsFor(capabilities, config, table, logger, clock, options.streamAnalytics);
  const readiness = readinessFor(capabilities, config, client, redis.get, clock);
  const costAdvisor = costAdvisorFor(metrics, options.costReport, options.templates);
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
    costAdvisor,
    stageMap: options.stageMaps?.(costAdvisor),
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
  // Long-lived servers write the access log off the request's path; Lambda (`syncAccessLog`) and
  // a caller's own logger get each line before the answer goes.
  const accessLog =
    options.logger || options.syncAccessLog
      ? undefined
      : new BufferedAccessLog({ level: config.logLevel, base: { stage: config.stage } });
  const devRoutes = config.local && config.sesEndpoint ? devMailRoutes(config.sesEndpoint) : undefined;
  const app = createHttpApp({
    api: storefront.api,
    logger,
    accessLog,
    metrics,
    devRoutes,
    webRoot: options.webRoot,
    webPages: options.webRoot
      ? crawlerPages({
          webRoot: options.webRoot,
          getProduct: (id) => storefront.services.catalog.get(id),
        })
      : undefined,
    // Lambda answers one event per process turn: nothing to replay there.
    replayAnswers: !options.syncAccessLog,
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
      accessLog?.close();
      redis.close();
      analytics.close();
      readiness.close();
    },
  };
}
