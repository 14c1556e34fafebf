import type { AnalyticsReport, EventSink } from './analytics.js';
import type { Cache } from './cache.js';
import type { JobQueue } from './jobs.js';
import type { Mailer } from './mail.js';
import type { CostAdvisor, Readiness, StageMapSource } from './ops.js';
import type { SearchIndex } from './search.js';
import type { IdentityProvider, LoginThrottle, SessionStore } from './sign-in.js';
import type { Table } from './table.js';
import type { Clock, Logger, Metrics } from './telemetry.js';

/** Everything the storefront is given at start-up: one adapter per port, as the stage table picks. */
export interface Ports {
  readonly table: Table;
  readonly sessions: SessionStore;
  readonly loginThrottle: LoginThrottle;
  /** Present at the enterprise stage: sign-in through the Cognito user pool. */
  readonly identity?: IdentityProvider | undefined;
  readonly search: SearchIndex;
  readonly jobs: JobQueue;
  readonly mailer: Mailer;
  readonly cache: Cache;
  readonly events: EventSink;
  /** Present where events go to a stream (enterprise); counters answer per product otherwise. */
  readonly analytics?: AnalyticsReport | undefined;
  readonly clock: Clock;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly costAdvisor?: CostAdvisor | undefined;
  readonly stageMap?: StageMapSource | undefined;
  readonly readiness: Readiness;
}
