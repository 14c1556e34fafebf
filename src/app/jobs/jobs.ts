import { z } from 'zod';
import type { EventCounters, Mailer } from '../../platform/ports.js';

/** Every background job, as one schema: the queue message body is exactly this JSON. */
export const JobSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('send-welcome-email'),
    userId: z.string().min(1),
    email: z.email(),
    name: z.string().min(1).max(100),
  }),
  z.strictObject({
    type: z.literal('send-order-confirmation'),
    orderId: z.string().min(1),
    email: z.email(),
    name: z.string().min(1).max(100),
    totalCents: z.number().int().min(0),
    currency: z.string().length(3),
    itemCount: z.number().int().min(1),
  }),
  z.strictObject({
    type: z.literal('product-changed'),
    productId: z.string().min(1),
    change: z.enum(['created', 'updated', 'deleted']),
    // Part of the job's identity: two edits of one product are two jobs, not a redelivery.
    changedAt: z.iso.datetime(),
  }),
]);
export type Job = z.infer<typeof JobSchema>;

/** What jobs may use. */
export interface JobPorts {
  readonly mailer: Mailer;
  /** Catalog roll-ups; a worker without the table skips them. */
  readonly counters?: EventCounters;
}

/**
 * Catalog changes are rolled up site-wide under this id, apart from the per-product counters of
 * shopper events, so a product's analytics keep showing only what shoppers did.
 */
export const CATALOG_ROLLUP_ID = '_catalog';

/** Money as people read it in an e-mail: 1234 USD cents → "USD 12.34". */
function formatMoney(cents: number, currency: string): string {
  return `${currency} ${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/** Runs one job. Throws to have the message retried (and, after three receives, dead-lettered). */
export async function runJob(job: Job, ports: JobPorts): Promise<void> {
  switch (job.type) {
    case 'send-welcome-email':
      await ports.mailer.send({
        to: job.email,
        subject: 'Welcome to Growstack',
        text: `Hello ${job.name},\n\nyour account is ready. Happy shopping!\n`,
      });
      return;
    case 'send-order-confirmation':
      await ports.mailer.send({
        to: job.email,
        subject: `Your Growstack order ${job.orderId}`,
        text:
          `Hello ${job.name},\n\nthank you for your order ${job.orderId}: ` +
          `${job.itemCount} item(s), ${formatMoney(job.totalCents, job.currency)}.\n`,
      });
      return;
    case 'product-changed':
      await ports.counters?.increment(CATALOG_ROLLUP_ID, `product-${job.change}`);
      return;
  }
}
