import type { EventCounters, Mailer } from '../../contracts/ports.js';
import { z } from '../../contracts/zod.js';

/** Every background job, as one schema: the queue message body is exactly this JSON. */
export const JobSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('send-welcome-email'),
    userId: z.string().min(1),
    email: z.email(),
    /** The code that proves the address (POST /api/auth/verify). */
    code: z
      .string()
      .regex(/^\d{8}$/)
      .optional(),
    /** Accepted from messages queued by earlier versions; never put into mail. */
    name: z.string().min(1).max(100).optional(),
  }),
  z.strictObject({
    type: z.literal('send-password-reset'),
    email: z.email(),
    code: z.string().regex(/^\d{8}$/),
    validMinutes: z.number().int().min(1),
  }),
  z.strictObject({
    type: z.literal('send-order-confirmation'),
    orderId: z.string().min(1),
    email: z.email(),
    /** Accepted from messages queued by earlier versions; never put into mail. */
    name: z.string().min(1).max(100).optional(),
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
    // No text a user chose (the account's name) goes into mail: a sign-up with someone else's
    // address must not turn the shop's mail identity into a relay for the sign-up's words.
    case 'send-welcome-email':
      await ports.mailer.send({
        to: job.email,
        subject: 'Welcome to Growstack',
        text: job.code
          ? `Hello,\n\nsomeone made a Growstack account with this address. If it was you, confirm the address with this code: ${job.code}\n\nUntil then the shop sends this address no other mail. If it was not you, ignore this message.\n`
          : 'Hello,\n\nyour account is ready. Happy shopping!\n',
      });
      return;
    case 'send-password-reset':
      await ports.mailer.send({
        to: job.email,
        subject: 'Your Growstack password reset code',
        text: `Hello,\n\nyour code to set a new password: ${job.code}\n\nIt works for ${job.validMinutes} minutes. If you did not ask for it, ignore this message: your password stays as it is.\n`,
      });
      return;
    case 'send-order-confirmation':
      await ports.mailer.send({
        to: job.email,
        subject: `Your Growstack order ${job.orderId}`,
        text:
          `Hello,\n\nthank you for your order ${job.orderId}: ` +
          `${job.itemCount} item(s), ${formatMoney(job.totalCents, job.currency)}.\n`,
      });
      return;
    case 'product-changed':
      await ports.counters?.increment(CATALOG_ROLLUP_ID, `product-${job.change}`);
      return;
  }
}
