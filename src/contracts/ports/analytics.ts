/** Analytics events, where they go, and the reports made from them. */

import { z } from '../zod.js';
import { IsoDateTimeSchema } from './common.js';

export const EVENT_TYPES = ['view', 'add_to_cart', 'remove_from_cart', 'checkout', 'search'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Events without a product (a search, say) are kept under this id. */
export const SITE_WIDE = '_site';

/** One analytics event as it is counted, or sent on the stream (Kinesis) and on to S3 (Firehose). */
export const StreamedEventSchema = z.strictObject({
  type: z.enum(EVENT_TYPES),
  productId: z.string().min(1).max(64).optional(),
  /** When the storefront accepted it: the event time windows are cut by. */
  at: z.iso.datetime(),
});
export type StreamedEvent = z.infer<typeof StreamedEventSchema>;

/**
 * Where analytics events go: atomic counters in the table (startup to scaling), or a Kinesis
 * stream that Firehose delivers to S3 (enterprise).
 */
export interface EventSink {
  readonly mode: 'counters' | 'kinesis';
  record(event: StreamedEvent): Promise<void>;
}

export interface EventCounters {
  /** Atomically adds one to the counter of this product and event type. */
  increment(productId: string, type: string): Promise<void>;
  /** Counts by event type for one product. */
  countsFor(productId: string): Promise<Record<string, number>>;
}

export const REPORT_WINDOWS = { hour: 3_600_000, day: 86_400_000 } as const;
export type ReportWindow = keyof typeof REPORT_WINDOWS;

export const TopProductsReportSchema = z
  .object({
    window: z.enum(['hour', 'day']),
    from: IsoDateTimeSchema,
    to: IsoDateTimeSchema,
    /** Product events counted in the window (site-wide events such as searches are not ranked). */
    events: z.number().int(),
    /** Which engine answered: the local stream consumer, or a query over the delivered files. */
    source: z.string(),
    products: z.array(
      z.object({
        productId: z.string(),
        views: z.number().int(),
        addsToCart: z.number().int(),
        checkouts: z.number().int(),
      }),
    ),
  })
  .openapi('TopProductsReport');
export type TopProductsReport = z.infer<typeof TopProductsReportSchema>;

/** "Top products in the last hour / day", where the events go to a stream. */
export interface AnalyticsReport {
  topProducts(window: ReportWindow, limit?: number): Promise<TopProductsReport>;
}
