import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectLocalQueue, startObservedWorker } from '../../src/entry/local-queue.js';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../src/platform/runtime/dynamodb-local.js';
import { freePort, waitFor } from '../../src/platform/runtime/process-tools.js';
import { createTestStorefront, mailCount, type TestStorefront } from '../support/storefront.js';

const PROBLEM = 'application/problem+json';

async function killHard(dynamo: DynamoDbLocal): Promise<void> {
  const exited = new Promise((resolve) => dynamo.process.once('exit', resolve));
  dynamo.process.kill('SIGKILL');
  await exited;
}

describe('DynamoDB Local killed and restarted mid-run', () => {
  // A database of its own, on disk, so a restart keeps what was acknowledged before the crash.
  const dbPath = mkdtempSync(join(tmpdir(), 'growstack-faults-'));
  let dynamo: DynamoDbLocal;
  let shop: TestStorefront;

  beforeAll(async () => {
    dynamo = await startDynamoDbLocal({ dbPath });
    shop = await createTestStorefront({ dynamodbEndpoint: dynamo.endpoint });
  }, 60_000);

  afterAll(async () => {
    shop?.runtime.close();
    await dynamo?.stop();
    rmSync(dbPath, { recursive: true, force: true });
  });

  it('answers 503 problems while it is down, recovers after, and loses nothing acknowledged', async () => {
    const product = await shop.product({ stock: 20 });
    const buyer = await shop.customer();
    const order = (key: string) =>
      shop.call('POST', '/api/orders', {
        token: buyer.token,
        headers: { 'idempotency-key': key },
        body: { items: [{ productId: product.id, quantity: 1 }] },
      });
    const acknowledged: string[] = [];
    for (let index = 0; index < 5; index++) {
      const placed = await order(`before-${index}`);
      expect(placed.status).toBe(201);
      acknowledged.push(placed.json.id);
    }

    expect((await shop.call('GET', '/api/health')).status).toBe(200);
    await killHard(dynamo);
    // Readiness names the table as the failing check (after its short cache runs out).
    const notReady = await waitFor(
      async () => {
        const health = await shop.call('GET', '/api/health');
        return health.status === 503 ? health : false;
      },
      { timeoutMs: 20_000, intervalMs: 200, what: 'a 503 from /api/health' },
    );
    if (!notReady) throw new Error('unreachable: waitFor resolves truthy');
    expect(notReady.headers.get('content-type')).toBe(PROBLEM);
    expect(notReady.json).toMatchObject({ status: 503, checks: { table: { status: 'down' } } });
    expect(notReady.json.detail).toContain('table');
    expect((await shop.call('GET', '/api/health/live')).status).toBe(200);
    for (const during of [
      await shop.call('GET', '/api/products'),
      await shop.call('GET', `/api/products/${product.id}`),
      await order('during-outage'),
      await shop.call('POST', '/api/auth/signup', {
        body: { email: 'outage@example.com', password: 'password-123', name: 'Outage' },
      }),
    ]) {
      expect(during.status).toBe(503);
      expect(during.headers.get('content-type')).toBe(PROBLEM);
      expect(during.headers.get('retry-after')).toBe('1');
      expect(during.json.detail).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    }

    dynamo = await startDynamoDbLocal({ dbPath, port: dynamo.port });
    await waitFor(async () => (await shop.call('GET', '/api/health')).status === 200, {
      timeoutMs: 20_000,
      intervalMs: 200,
      what: 'a 200 from /api/health',
    });
    // The retried checkout (same key) makes its order now, once.
    const retried = await order('during-outage');
    expect(retried.status).toBe(201);
    expect((await order('during-outage')).json.id).toBe(retried.json.id);
    acknowledged.push(retried.json.id);

    const mine = await shop.call('GET', '/api/orders?limit=100', { token: buyer.token });
    expect(mine.status).toBe(200);
    expect(mine.json.items.map((item: { id: string }) => item.id).sort()).toEqual([...acknowledged].sort());
    const after = await shop.call('GET', `/api/products/${product.id}`);
    expect(after.json.stock).toBe(20 - acknowledged.length);
  }, 90_000);
});

describe('the queue stand-in restarted mid-run', () => {
  it('keeps committed sign-ups when the queue is down, counts the lost job, and delivers again after', async () => {
    const port = await freePort();
    const options = { port, host: '127.0.0.1', logger: false, defaultRegion: 'us-east-1' } as const;
    let fauxqs = await startFauxqs(options);
    const shop = await createTestStorefront({ stage: 'growing', sqsEndpoint: fauxqs.address });
    const queue = shop.queue;
    if (!queue) throw new Error('the growing stage has a queue');
    const signup = (email: string) =>
      shop.call('POST', '/api/auth/signup', { body: { email, password: 'password-123', name: 'Queue' } });
    const delivered = (email: string) =>
      waitFor(async () => (await mailCount(shop, email)) === 1, {
        timeoutMs: 20_000,
        intervalMs: 200,
        what: `the welcome e-mail to ${email}`,
      });
    try {
      startObservedWorker(queue, shop.runtime.config, shop.runtime);
      const before = `before-${port}@example.com`;
      expect((await signup(before)).status).toBe(201);
      await delivered(before);

      await fauxqs.stop();
      const during = `during-${port}@example.com`;
      const response = await signup(during);
      expect(response.status).toBe(201);
      // The account is committed: logging in works, and the lost e-mail is counted for the alarm.
      const login = await shop.call('POST', '/api/auth/login', {
        body: { email: during, password: 'password-123' },
      });
      expect(login.status).toBe(200);
      const metrics = await (await shop.runtime.app.request('/metrics')).text();
      expect(metrics).toMatch(
        /^growstack_business_events_total\{[^}]*event="jobs_enqueue_failed"[^}]*\} 1$/m,
      );

      // The stand-in comes back empty (it keeps nothing in memory across a restart): recreate the
      // queues under the same names, as the CDK stack would still have them.
      fauxqs = await startFauxqs(options);
      const recreated = await connectLocalQueue(fauxqs.address, {
        region: 'us-east-1',
        name: queue.queueUrl.split('/').at(-1) as string,
      });
      expect(recreated.queueUrl).toBe(queue.queueUrl);
      const after = `after-${port}@example.com`;
      expect((await signup(after)).status).toBe(201);
      await delivered(after);
      expect(await mailCount(shop, during)).toBe(0);
    } finally {
      await queue.stop();
      await fauxqs.stop();
      shop.runtime.close();
    }
  }, 90_000);
});
