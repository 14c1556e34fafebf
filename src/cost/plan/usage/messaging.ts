import { HOURS_PER_MONTH, type StageMonth, type UsagePart } from './context.js';

/** Lambda's SQS event source keeps five long polls (20 s) open per queue, billed as receives. */
const EVENT_SOURCE_POLLS = (5 * (HOURS_PER_MONTH * 3600)) / 20;

/** The job queues, the e-mails the jobs send, and the alarm topics. */
export function messagingParts({ inventory, traffic, regions, jobs }: StageMonth): UsagePart[] {
  const parts: UsagePart[] = [];
  if (inventory.queues > 0) {
    parts.push({
      service: 'sqs',
      // Send, receive and delete per job, plus the event source's long polls.
      usage: { requests: Math.round(jobs * 3 + EVENT_SOURCE_POLLS * regions), messageKb: 1 },
      atZeroTraffic: { requests: Math.round(EVENT_SOURCE_POLLS * regions) },
    });
  }
  parts.push({ service: 'ses', usage: { emails: Math.round(traffic.emails) } });
  if (inventory.topics > 0) {
    parts.push({
      service: 'sns',
      usage: { publishes: 30 * inventory.topics, emailDeliveries: 30 * inventory.topics },
      fixedOnly: true,
    });
  }
  return parts;
}
