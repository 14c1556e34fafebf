import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TopProducts } from '../../app/analytics/top-products.js';
import type { Logger, StreamedEvent } from '../../contracts/ports.js';
import { type KinesisLocal, startKinesisLocal } from '../runtime/kinesis-local.js';
import {
  createKinesisClient,
  ensureStream,
  KinesisEventSink,
  KinesisStreamReader,
  streamRegion,
} from './kinesis-events.js';

const silent: Logger = { info() {}, warn() {}, error() {} };
const NOW = new Date('2026-11-25T12:00:00.000Z');
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();

// A known stream: three products over the last day, a search (site-wide, not ranked), and one
// event older than a day (out of every window).
const EVENTS: StreamedEvent[] = [
  ...Array.from({ length: 5 }, (_, i) => ({ type: 'view' as const, productId: 'lamp', at: ago(10 + i) })),
  { type: 'add_to_cart', productId: 'lamp', at: ago(9) },
  ...Array.from({ length: 3 }, (_, i) => ({ type: 'view' as const, productId: 'desk', at: ago(20 + i) })),
  { type: 'add_to_cart', productId: 'desk', at: ago(19) },
  { type: 'checkout', productId: 'desk', at: ago(18) },
  { type: 'remove_from_cart', productId: 'desk', at: ago(17) },
  // Two hours ago: in the day, not in the hour.
  ...Array.from({ length: 9 }, () => ({ type: 'view' as const, productId: 'chair', at: ago(120) })),
  { type: 'search', at: ago(5) },
  { type: 'view', productId: 'chair', at: ago(25 * 60) },
];

describe('the event stream (Kinesis, kinesalite locally)', () => {
  let kinesis: KinesisLocal;
  beforeAll(async () => {
    kinesis = await startKinesisLocal();
  });
  afterAll(async () => {
    await kinesis?.stop();
  });

  it('carries the events to a reader whose report is the expected top products of the hour and the day', async () => {
    const client = await createKinesisClient({ region: 'us-east-1', endpoint: kinesis.endpoint });
    await ensureStream(client, 'events', 2);
    const sink = new KinesisEventSink(client, 'events');
    for (const event of EVENTS) await sink.record(event);
    // A record that is not an event: skipped and counted, not fatal.
    await client.send(
      new PutRecordCommand({
        StreamName: 'events',
        PartitionKey: 'x',
        Data: new TextEncoder().encode('{nope'),
      }),
    );
    const ranking = new TopProducts();
    const reader = new KinesisStreamReader(client, 'events', (event) => ranking.add(event), {
      logger: silent,
    });
    expect(await reader.pollOnce()).toBe(EVENTS.length);
    expect(reader.skipped).toBe(1);
    // Read once: the next pass finds nothing new.
    expect(await reader.pollOnce()).toBe(0);

    expect(ranking.report('hour', NOW)).toEqual({
      window: 'hour',
      from: '2026-11-25T11:00:00.000Z',
      to: '2026-11-25T12:00:00.000Z',
      events: 11,
      source: 'stream consumer',
      products: [
        { productId: 'lamp', views: 5, addsToCart: 1, checkouts: 0 },
        { productId: 'desk', views: 3, addsToCart: 1, checkouts: 1 },
      ],
    });
    const day = ranking.report('day', NOW, 2);
    expect(day.events).toBe(20);
    expect(day.products).toEqual([
      { productId: 'chair', views: 9, addsToCart: 0, checkouts: 0 },
      { productId: 'lamp', views: 5, addsToCart: 1, checkouts: 0 },
    ]);
    client.destroy();
  });

  it('reads on from where it stopped, across shards, as events keep coming', async () => {
    const client = await createKinesisClient({ region: 'us-east-1', endpoint: kinesis.endpoint });
    await ensureStream(client, 'more', 4);
    const seen: StreamedEvent[] = [];
    const reader = new KinesisStreamReader(client, 'more', (event) => seen.push(event), { logger: silent });
    const sink = new KinesisEventSink(client, 'more');
    await sink.record({ type: 'view', productId: 'a', at: ago(1) });
    expect(await reader.pollOnce()).toBe(1);
    for (const productId of ['b', 'c', 'd', 'e', 'f'])
      await sink.record({ type: 'view', productId, at: ago(0) });
    expect(await reader.pollOnce()).toBe(5);
    expect(seen.map((event) => event.productId).sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    client.destroy();
  });
});

describe('a stream named by ARN', () => {
  it("is put to in the ARN's region (a secondary region's events go to the primary's stream)", () => {
    expect(streamRegion('arn:aws:kinesis:us-east-1:123456789012:stream/Growstack-events')).toBe('us-east-1');
    expect(streamRegion('growstack-events')).toBeUndefined();
  });
});
