import { TopProducts } from '../app/analytics/top-products.js';
import { ConfigError } from '../contracts/errors.js';
import type { AnalyticsReport, Clock, EventSink, Logger } from '../contracts/ports.js';
import {
  createKinesisClient,
  KinesisEventSink,
  KinesisStreamReader,
  streamRegion,
} from '../platform/adapters/kinesis-events.js';
import type { Config } from '../platform/config.js';

export interface StreamAnalytics {
  readonly events: EventSink;
  /** Locally only: on AWS the report is a query over what Firehose delivered to S3. */
  readonly report?: AnalyticsReport;
  close(): void;
}

/**
 * The enterprise stage's analytics: events go to the Kinesis stream. Locally a reader consumes
 * the stream (kinesalite) into the top-products ranking the ops console shows; on AWS, Firehose
 * delivers the stream to S3 and nothing reads it in this process. Passed to composeRuntime by the
 * entry points that serve this stage, so the Lambda bundles carry no Kinesis client.
 */
export function streamAnalytics(config: Config, logger: Logger, clock: Clock): StreamAnalytics {
  const stream = config.kinesisStream;
  if (!stream) throw new ConfigError(`kinesisStream (KINESIS_STREAM): required at stage '${config.stage}'`);
  const client = createKinesisClient({
    region: streamRegion(stream) ?? config.region,
    endpoint: config.kinesisEndpoint,
  });
  const events = new KinesisEventSink(client, stream);
  if (!config.local) return { events, close: () => client.destroy() };
  const ranking = new TopProducts();
  const reader = new KinesisStreamReader(client, stream, (event) => ranking.add(event), { logger });
  reader.start();
  return {
    events,
    report: {
      async topProducts(window, limit) {
        // Whatever arrived since the last tick counts too.
        await reader.pollOnce();
        const now = clock.now();
        ranking.prune(now);
        return ranking.report(window, now, limit, 'local stream consumer (kinesalite)');
      },
    },
    close: () => {
      reader.stop();
      client.destroy();
    },
  };
}
