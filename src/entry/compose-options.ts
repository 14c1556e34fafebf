import type { Redis } from 'ioredis';
import type {
  Clock,
  CostAdvisor,
  IdentityProvider,
  Logger,
  OpsCostReport,
  SearchIndex,
  StageMapSource,
} from '../contracts/ports.js';
import type { CachedTemplateReader } from '../contracts/templates.js';
import type { TraceStore } from '../contracts/traces.js';
import type { RedisClientOptions } from '../platform/adapters/redis-client.js';
import type { Config } from '../platform/config.js';
import type { StreamAnalytics } from './stream-analytics.js';

/**
 * What an entry point hands the composition root besides the config: the clients only some
 * processes carry (Redis, Kinesis, Cognito, OpenSearch), so each bundle holds only its own.
 */
export interface ComposeOptions {
  readonly logger?: Logger;
  /**
   * Write each access-log line through the logger before the answer goes (Lambda, whose process
   * may be frozen as soon as the handler returns). Default: buffered, written once per event-loop
   * turn; also through the logger whenever `logger` is given.
   */
  readonly syncAccessLog?: boolean;
  readonly clock?: Clock;
  /** The built web UI to serve at / (the local server); absent on Lambda. */
  readonly webRoot?: string;
  /**
   * Prices the stages from a scrape of this app's /metrics, for the ops console. Passed in by the
   * local supervisor and the container server, never on Lambda, whose bundle stays free of the cost model.
   */
  readonly costReport?: (metricsText: string, templates: CachedTemplateReader) => OpsCostReport;
  /**
   * Reads the synthesized-templates cache the plan fills (templateCacheReader), for the ops
   * console's costs and stage maps. Passed by the local supervisor and the container server.
   */
  readonly templates?: CachedTemplateReader;
  /**
   * Draws the ops console's stage maps (stageMapSource), given the cost advisor that prices the
   * next stage. Passed with `templates`, never on Lambda, whose bundles carry no map drawing.
   */
  readonly stageMaps?: (costAdvisor: CostAdvisor | undefined) => StageMapSource;
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
