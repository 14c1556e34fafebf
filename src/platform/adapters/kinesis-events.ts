import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  PutRecordCommand,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import {
  type EventSink,
  type Logger,
  SITE_WIDE,
  type StreamedEvent,
  StreamedEventSchema,
} from '../../contracts/ports.js';
import { traceAwsClient } from '../tracing.js';
import { type AwsClientOptions, awsClientConfig } from './aws-client-config.js';

/**
 * A Kinesis client for AWS or the local stand-in (kinesalite). The Kinesis client defaults to an
 * HTTP/2 handler (for SubscribeToShard's event stream); kinesalite speaks HTTP/1.1 only, and the
 * calls we make need nothing more, so both worlds get the HTTP/1.1 handler.
 */
export function createKinesisClient(options: AwsClientOptions): KinesisClient {
  return traceAwsClient(
    new KinesisClient({ ...awsClientConfig(options), requestHandler: new NodeHttpHandler() }),
    options.region,
  );
}

/** Creates the stream if it is missing (the local stand-in) and waits until it is ACTIVE. */
export async function ensureStream(client: KinesisClient, streamName: string, shards = 2): Promise<void> {
  try {
    await client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shards }));
  } catch (error) {
    if ((error as Error).name !== 'ResourceInUseException') throw error;
  }
  for (let attempt = 0; attempt < 100; attempt++) {
    const { StreamDescriptionSummary } = await client.send(
      new DescribeStreamSummaryCommand({ StreamName: streamName }),
    );
    if (StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`stream ${streamName} did not become ACTIVE`);
}

/**
 * Enterprise: each event is a record on the Kinesis stream, keyed by product so one product's
 * events stay in order on one shard. Firehose delivers the stream to S3; nothing is counted here.
 */
/**
 * The region a stream lives in when it is named by ARN (another region's stream: the enterprise
 * stage's secondary regions send their events to the primary's), else undefined.
 */
export function streamRegion(stream: string): string | undefined {
  return stream.startsWith('arn:') ? stream.split(':')[3] : undefined;
}

/** A stream named by name or by ARN, as PutRecord and the other calls take it. */
const streamParameter = (stream: string) =>
  stream.startsWith('arn:') ? { StreamARN: stream } : { StreamName: stream };

export class KinesisEventSink implements EventSink {
  readonly mode = 'kinesis';
  constructor(
    private readonly client: KinesisClient,
    /** The stream's name, or its ARN when it is in another region. */
    private readonly stream: string,
  ) {}

  async record(event: StreamedEvent): Promise<void> {
    await this.client.send(
      new PutRecordCommand({
        ...streamParameter(this.stream),
        PartitionKey: event.productId ?? SITE_WIDE,
        Data: new TextEncoder().encode(JSON.stringify(event)),
      }),
    );
  }
}

export interface StreamReaderOptions {
  readonly logger: Logger;
  /** Where a reader starts: the whole retained stream, or only what arrives after it starts. */
  readonly from?: 'TRIM_HORIZON' | 'LATEST';
  readonly pollMs?: number;
}

/**
 * Reads every shard of a stream and hands each event on: the local stand-in for the managed
 * consumers (Firehose, and a Lambda reading the stream) that run on AWS. Records that are not
 * events (bad JSON, a wrong shape) are skipped and counted, never fatal.
 */
export class KinesisStreamReader {
  private iterators: Map<string, string | undefined> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<number> | undefined;
  /** Records read that were not events. */
  skipped = 0;

  constructor(
    private readonly client: KinesisClient,
    private readonly streamName: string,
    private readonly onEvent: (event: StreamedEvent) => void,
    private readonly options: StreamReaderOptions,
  ) {}

  /** One pass over every shard; resolves to the number of events handed on. */
  pollOnce(): Promise<number> {
    this.polling ??= this.poll().finally(() => {
      this.polling = undefined;
    });
    return this.polling;
  }

  /** Polls until stopped; a failed pass is logged and retried on the next tick. */
  start(): void {
    const tick = () => {
      this.pollOnce()
        .catch((error: unknown) => this.options.logger.warn({ err: error }, 'event stream unreadable'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.options.pollMs ?? 1_000).unref();
        });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async poll(): Promise<number> {
    const iterators = this.iterators ?? (await this.openShards());
    this.iterators = iterators;
    let handed = 0;
    for (const [shardId, iterator] of iterators) {
      if (!iterator) continue; // a closed shard, read to its end
      const page = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      iterators.set(shardId, page.NextShardIterator);
      for (const record of page.Records ?? []) {
        const event = parseEvent(record.Data);
        if (!event) {
          this.skipped++;
          this.options.logger.warn(
            { shardId, sequence: record.SequenceNumber },
            'skipped a record that is not an event',
          );
          continue;
        }
        this.onEvent(event);
        handed++;
      }
    }
    return handed;
  }

  private async openShards(): Promise<Map<string, string | undefined>> {
    const { Shards } = await this.client.send(new ListShardsCommand({ StreamName: this.streamName }));
    const iterators = new Map<string, string | undefined>();
    for (const shard of Shards ?? []) {
      if (!shard.ShardId) continue;
      const { ShardIterator } = await this.client.send(
        new GetShardIteratorCommand({
          StreamName: this.streamName,
          ShardId: shard.ShardId,
          ShardIteratorType: this.options.from ?? 'TRIM_HORIZON',
        }),
      );
      iterators.set(shard.ShardId, ShardIterator);
    }
    return iterators;
  }
}

function parseEvent(data: Uint8Array | undefined): StreamedEvent | undefined {
  if (!data) return undefined;
  try {
    const parsed = StreamedEventSchema.safeParse(JSON.parse(new TextDecoder().decode(data)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
