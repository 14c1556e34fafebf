import { randomUUID } from 'node:crypto';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectLocalQueue, type LocalQueue } from '../../entry/local-queue.js';
import { SesMailer } from '../adapters/ses-mailer.js';
import { createSqsClient, SqsJobQueue } from '../adapters/sqs-job-queue.js';
import { loadConfig } from '../config.js';
import { waitFor } from './process-tools.js';

/**
 * Two queues on one stand-in: the delivery queue's visibility timeout is far above a handler's
 * run even on a loaded machine, so a redelivery there can only mean the poller failed to delete;
 * the other's is short, so three receives reach the dead-letter queue quickly.
 */
const DELIVERY_VISIBILITY_SECONDS = 5;
let delivery: LocalQueue;
let queue: LocalQueue;
const sqs = () => createSqsClient({ region: 'us-east-1', endpoint: inject('sqsEndpoint') });
let queueUrl: string;
let dlqUrl: string;
const silent = { info() {}, warn() {}, error() {} };

beforeAll(async () => {
  const mailer = new SesMailer('shop@growstack.local', {
    region: 'us-east-1',
    endpoint: inject('sesEndpoint'),
  });
  delivery = await connectLocalQueue(inject('sqsEndpoint'), {
    region: 'us-east-1',
    name: `poller-delivery-${randomUUID()}`,
    visibilityTimeoutSeconds: DELIVERY_VISIBILITY_SECONDS,
  });
  queue = await connectLocalQueue(inject('sqsEndpoint'), {
    region: 'us-east-1',
    name: `poller-${randomUUID()}`,
    visibilityTimeoutSeconds: 1,
  });
  queueUrl = queue.queueUrl;
  dlqUrl = queue.deadLetterQueueUrl;
  // No idempotency store here: these tests are about the poller's delivery, not de-duplication.
  delivery.startWorker(loadConfig({}, {}), silent, { ports: { mailer } });
  queue.startWorker(loadConfig({}, {}), silent, { ports: { mailer } });
});

afterAll(async () => {
  await delivery.stop();
  await queue.stop();
});

async function mailTo(address: string): Promise<number> {
  const store = (await (await fetch(`${inject('sesEndpoint')}/store`)).json()) as {
    emails: { destination: { to: string[] } }[];
  };
  return store.emails.filter((mail) => mail.destination.to.includes(address)).length;
}

describe('jobs through the local queue', () => {
  it('delivers enqueued jobs to the worker and sends each mail once', async () => {
    const jobs = new SqsJobQueue(sqs(), delivery.queueUrl);
    const addresses = [`a-${randomUUID()}@example.com`, `b-${randomUUID()}@example.com`];
    for (const email of addresses)
      await jobs.enqueue({ type: 'send-welcome-email', userId: 'u', email, name: 'Queued' });
    for (const email of addresses) {
      await waitFor(async () => (await mailTo(email)) > 0, {
        timeoutMs: 10_000,
        intervalMs: 100,
        what: `mail to ${email}`,
      });
    }
    // Drained: nothing waiting and nothing in flight, so the poller deleted every message it ran.
    await waitFor(async () => (await delivery.depths()).queue === 0, {
      timeoutMs: 10_000,
      intervalMs: 100,
      what: 'an empty queue',
    });
    // A message left undeleted would be visible again after the visibility timeout: wait past it.
    await new Promise((resolve) => setTimeout(resolve, DELIVERY_VISIBILITY_SECONDS * 1000 + 500));
    expect(await delivery.depths()).toEqual({ queue: 0, deadLetters: 0 });
    for (const email of addresses) expect(await mailTo(email)).toBe(1);
  }, 30_000);

  it('moves a malformed message to the dead-letter queue after three receives without blocking the rest', async () => {
    const client = sqs();
    await client.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{"type":"send-welcome-email"' }),
    );
    const good = `c-${randomUUID()}@example.com`;
    await new SqsJobQueue(client, queueUrl).enqueue({
      type: 'send-welcome-email',
      userId: 'u',
      email: good,
      name: 'After',
    });
    await waitFor(async () => (await mailTo(good)) === 1, {
      timeoutMs: 10_000,
      intervalMs: 100,
      what: 'the good mail',
    });
    const dead = await waitFor(
      async () => {
        const { Messages = [] } = await client.send(
          new ReceiveMessageCommand({ QueueUrl: dlqUrl, WaitTimeSeconds: 0 }),
        );
        return Messages.length > 0 ? Messages : null;
      },
      { timeoutMs: 20_000, intervalMs: 250, what: 'the dead letter' },
    );
    expect(dead?.[0]?.Body).toBe('{"type":"send-welcome-email"');
  }, 30_000);
});
