import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { type Bill, BillBuilder } from '../bill.js';

const count = z.number().nonnegative();

/** Payloads are metered in 64 KB chunks: a 100 KB message is two requests. */
const chunks = (kb: number) => Math.max(1, Math.ceil(kb / 64));

export const SqsUsageSchema = z.strictObject({
  service: z.literal('sqs'),
  requests: count,
  messageKb: count.default(64).describe('each 64 KB chunk is a request'),
  queueType: z.enum(['standard', 'fifo']).default('standard'),
  freeTier: z.boolean().default(true),
});

// https://aws.amazon.com/sqs/pricing/ : 1M requests free a month across queue types; every 64 KB
// chunk of a payload is billed as one request; standard queues are tiered.
export function priceSqs(usage: z.infer<typeof SqsUsageSchema>, region: string): Bill {
  const bill = new BillBuilder('sqs', region);
  const metered = new Decimal(usage.requests).times(chunks(usage.messageKb));
  if (chunks(usage.messageKb) > 1)
    bill.note(
      `Messages of ${usage.messageKb} KB are metered as ${chunks(usage.messageKb)} requests each (64 KB chunks).`,
    );
  bill.charge(
    usage.queueType === 'fifo' ? 'sqs.fifo' : 'sqs.standard',
    usage.queueType === 'fifo' ? 'FIFO requests' : 'Standard requests',
    metered,
    usage.freeTier ? { free: 1_000_000 } : {},
  );
  return bill.build();
}

export const SnsUsageSchema = z.strictObject({
  service: z.literal('sns'),
  publishes: count.default(0),
  messageKb: count.default(64),
  httpDeliveries: count.default(0),
  emailDeliveries: count.default(0),
  sqsDeliveries: count.default(0),
  lambdaDeliveries: count.default(0),
  freeTier: z.boolean().default(true),
});

// https://aws.amazon.com/sns/pricing/ : 1M publishes, 100,000 HTTP and 1,000 e-mail deliveries
// free a month; deliveries to SQS and Lambda are free; 64 KB chunks as for SQS.
export function priceSns(usage: z.infer<typeof SnsUsageSchema>, region: string): Bill {
  const bill = new BillBuilder('sns', region);
  const free = usage.freeTier;
  bill.charge(
    'sns.publishes',
    'Publishes',
    new Decimal(usage.publishes).times(chunks(usage.messageKb)),
    free ? { free: 1_000_000 } : {},
  );
  if (usage.httpDeliveries > 0)
    bill.charge('sns.http', 'HTTP/S deliveries', usage.httpDeliveries, free ? { free: 100_000 } : {});
  if (usage.emailDeliveries > 0)
    bill.charge('sns.email', 'E-mail deliveries', usage.emailDeliveries, free ? { free: 1_000 } : {});
  if (usage.sqsDeliveries + usage.lambdaDeliveries > 0)
    bill.note(`${usage.sqsDeliveries + usage.lambdaDeliveries} deliveries to SQS and Lambda are free.`);
  return bill.build();
}

export const SesUsageSchema = z.strictObject({
  service: z.literal('ses'),
  emails: count,
  attachmentsGb: count.default(0),
  freeTier: z.boolean().default(true).describe('3,000 a month, first 12 months'),
});

// https://aws.amazon.com/ses/pricing/ : $0.10 per 1,000 messages; the free tier is 3,000 message
// charges a month for the first 12 months after the first use of SES.
export function priceSes(usage: z.infer<typeof SesUsageSchema>, region: string): Bill {
  const bill = new BillBuilder('ses', region);
  if (usage.freeTier)
    bill.note(
      'Free tier: 3,000 messages a month, for the first 12 months only (freeTier: false prices a later month).',
    );
  bill.charge('ses.emails', 'Outbound e-mail', usage.emails, usage.freeTier ? { free: 3_000 } : {});
  if (usage.attachmentsGb > 0) bill.charge('ses.attachments', 'Attachments', usage.attachmentsGb);
  return bill.build();
}
