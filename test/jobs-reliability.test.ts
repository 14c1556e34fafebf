import { randomUUID } from 'node:crypto';
import type { Context, SQSRecord } from 'aws-lambda';
import { describe, expect, inject, it } from 'vitest';
import type { Mailer } from '../src/contracts/ports.js';
import { composeRuntime } from '../src/entry/compose.js';
import { createWorkerHandler, workerPortsFor } from '../src/entry/lambda-worker.js';
import { startObservedWorker } from '../src/entry/local-queue.js';
import { createSqsClient } from '../src/platform/adapters/sqs-job-queue.js';
import { loadConfig } from '../src/platform/config.js';
import { startSqsPoller, toSqsRecord } from '../src/platform/runtime/local-sqs-poller.js';
import { waitFor } from '../src/platform/runtime/process-tools.js';
import { capturedLogs, freshTable } from './support/fixtures.js';
import { createTestStorefront, mailCount, silentLogger } from './support/storefront.js';

const welcome = (email: string) => ({
  type: 'send-welcome-email',
  userId: randomUUID(),
  email,
  name: 'Robin',
});

describe('jobs that fail', () => {
  it('retries a throwing job and moves it to the dead-letter queue after three receives, visible in /metrics', async () => {
    const shop = await createTestStorefront({ stage: 'growing', visibilityTimeoutSeconds: 1 });
    const queue = shop.queue;
    if (!queue) throw new Error('the growing stage has a queue');
    let attempts = 0;
    const brokenMailer: Mailer = {
      send: async () => {
        attempts++;
        throw new Error('the mail service is down');
      },
    };
    try {
      startObservedWorker(queue, shop.runtime.config, shop.runtime, { mailer: brokenMailer });
      await shop.runtime.ports.jobs.enqueue(welcome(`doomed-${randomUUID()}@example.com`));
      await waitFor(async () => (await queue.depths()).deadLetters === 1, {
        timeoutMs: 20_000,
        intervalMs: 200,
        what: 'the dead letter',
      });
      expect(attempts).toBe(3);
      const metrics = await (await shop.runtime.app.request('/metrics')).text();
      expect(metrics).toMatch(/^dlq_depth 1$/m);
      expect(metrics).toMatch(/^queue_depth 0$/m);
      expect(metrics).toMatch(/^jobs_failed_total 3$/m);
      expect(metrics).toMatch(/^jobs_retried_total 2$/m);
    } finally {
      await queue.stop();
    }
  }, 30_000);
});

describe('a worker that dies in the middle of a batch', () => {
  it('loses nothing: unfinished messages come back and every e-mail is sent exactly once', async () => {
    const shop = await createTestStorefront({ stage: 'growing', visibilityTimeoutSeconds: 1 });
    const queue = shop.queue;
    if (!queue) throw new Error('the growing stage has a queue');
    const addresses = Array.from({ length: 6 }, (_, index) => `batch-${index}-${randomUUID()}@example.com`);
    for (const email of addresses) await shop.runtime.ports.jobs.enqueue(welcome(email));

    const worker = createWorkerHandler(workerPortsFor(shop.runtime.config));
    let crashed = false;
    const client = createSqsClient({ region: 'us-east-1', endpoint: inject('sqsEndpoint') });
    const poller = startSqsPoller({
      client,
      queueUrl: queue.queueUrl,
      queueArn: queue.queueArn,
      region: 'us-east-1',
      logger: silentLogger,
      // The first batch: half its jobs run, then the process "dies" before answering, so the
      // event source deletes nothing and every message of the batch is delivered again.
      handler: async (event, context) => {
        if (crashed || event.Records.length < 2) return worker(event, context);
        crashed = true;
        const half = event.Records.slice(0, Math.ceil(event.Records.length / 2)) as SQSRecord[];
        await worker({ Records: half }, context);
        throw new Error('worker killed mid-batch');
      },
    });
    try {
      for (const email of addresses) {
        await waitFor(async () => (await mailCount(shop, email)) > 0, {
          timeoutMs: 15_000,
          intervalMs: 100,
          what: `mail to ${email}`,
        });
      }
      await waitFor(async () => (await queue.depths()).queue === 0, {
        timeoutMs: 10_000,
        intervalMs: 100,
        what: 'an empty queue',
      });
      expect(crashed).toBe(true);
      for (const email of addresses) expect(await mailCount(shop, email)).toBe(1);
      expect((await queue.depths()).deadLetters).toBe(0);
    } finally {
      await poller.stop();
      client.destroy();
      await queue.stop();
    }
  }, 30_000);
});

describe('a message delivered twice', () => {
  it('sends its e-mail once: the second delivery finds the job done', async () => {
    const shop = await createTestStorefront({ stage: 'growing' });
    const email = `again-${randomUUID()}@example.com`;
    const worker = createWorkerHandler(workerPortsFor(shop.runtime.config));
    const message = { MessageId: randomUUID(), ReceiptHandle: 'r', Body: JSON.stringify(welcome(email)) };
    const context = { awsRequestId: 'replay', getRemainingTimeInMillis: () => 30_000 } as Context;
    try {
      const first = await worker(
        { Records: [toSqsRecord(message, 'arn:aws:sqs:us-east-1:0:q', 'us-east-1')] },
        context,
      );
      expect(first.batchItemFailures).toEqual([]);
      expect(await mailCount(shop, email)).toBe(1);
      // The same message again, as SQS redelivers it: the same id, a later receive.
      const again = toSqsRecord(
        { ...message, Attributes: { ApproximateReceiveCount: '2' } },
        'arn:aws:sqs:us-east-1:0:q',
        'us-east-1',
      );
      const second = await worker({ Records: [again] }, context);
      expect(second.batchItemFailures).toEqual([]);
      expect(await mailCount(shop, email)).toBe(1);
    } finally {
      await shop.queue?.stop();
    }
  });
});

describe('order confirmation and catalog roll-ups', () => {
  it('confirms an order by e-mail through the queue at the growing stage', async () => {
    const shop = await createTestStorefront({ stage: 'growing' });
    const queue = shop.queue;
    if (!queue) throw new Error('the growing stage has a queue');
    try {
      startObservedWorker(queue, shop.runtime.config, shop.runtime);
      const product = await shop.product({ priceCents: 1999, stock: 5 });
      const { token, email, id } = await shop.customer('Orla');
      // Order mail goes only to a proven address.
      await shop.runtime.ports.table.accounts.markEmailVerified(id, new Date().toISOString());
      const placed = await shop.call('POST', '/api/orders', {
        token,
        headers: { 'idempotency-key': randomUUID() },
        body: { items: [{ productId: product.id, quantity: 2 }] },
      });
      expect(placed.status).toBe(201);
      const mail = await waitFor(
        async () => {
          const { json } = await shop.call('GET', `/api/dev/mail?to=${encodeURIComponent(email)}`);
          const items = json.items as { subject: string; text: string }[];
          return items.find((item) => item.subject.includes(placed.json.id)) ?? null;
        },
        { timeoutMs: 10_000, intervalMs: 100, what: 'the order confirmation' },
      );
      expect(mail?.text).toContain('2 item(s), USD 39.98');
      await waitFor(
        async () =>
          ((await shop.runtime.ports.table.counters.countsFor('_catalog'))['product-created'] ?? 0) >= 1,
        { timeoutMs: 10_000, intervalMs: 100, what: 'the catalog roll-up' },
      );
    } finally {
      await queue.stop();
    }
  });

  it('sends the order confirmation inside the request at the startup stage', async () => {
    const shop = await createTestStorefront();
    const product = await shop.product({ priceCents: 500 });
    const { token, email, id } = await shop.customer('Sam');
    await shop.runtime.ports.table.accounts.markEmailVerified(id, new Date().toISOString());
    const order = {
      token,
      headers: { 'idempotency-key': randomUUID() },
      body: { items: [{ productId: product.id, quantity: 1 }] },
    };
    const placed = await shop.call('POST', '/api/orders', order);
    expect(placed.status).toBe(201);
    const { json } = await shop.call('GET', `/api/dev/mail?to=${encodeURIComponent(email)}`);
    expect(json.items.map((item: { subject: string }) => item.subject)).toContain(
      `Your Growstack order ${placed.json.id}`,
    );
    // The welcome mail and the confirmation.
    expect(await mailCount(shop, email)).toBe(2);
    // A replay of the same key is the same order: no second confirmation.
    const replayed = await shop.call('POST', '/api/orders', order);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.json.id).toBe(placed.json.id);
    expect(await mailCount(shop, email)).toBe(2);
    const counts = await shop.runtime.ports.table.counters.countsFor('_catalog');
    expect(counts['product-created']).toBeGreaterThanOrEqual(1);
  });
});

describe('a job that cannot be queued', () => {
  it('is logged by its type, without the address or the name it carries', async () => {
    const { lines, logger } = capturedLogs();
    const runtime = composeRuntime(
      loadConfig(
        {},
        {
          stage: 'growing',
          tableName: await freshTable('unqueued'),
          dynamodbEndpoint: inject('dynamodbEndpoint'),
          // Nothing listens here: every send is refused.
          queueUrl: 'http://127.0.0.1:9/000000000000/gone',
          sqsEndpoint: 'http://127.0.0.1:9',
          local: true,
          rateLimit: 0,
          passwordHashCost: 14,
        },
      ),
      { logger },
    );
    try {
      const email = `private-${randomUUID().slice(0, 8)}@example.com`;
      const signup = await runtime.app.request('/api/auth/signup', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'unqueued-password', name: 'Private Person' }),
      });
      expect(signup.status).toBe(201);
      const failure = lines.find((line) => line.msg === 'job not enqueued: the queue is unreachable');
      expect(failure).toMatchObject({ jobType: 'send-welcome-email' });
      expect(JSON.stringify(lines)).not.toContain(email);
      expect(JSON.stringify(lines)).not.toContain('Private Person');
    } finally {
      runtime.close();
    }
  }, 60_000);
});
