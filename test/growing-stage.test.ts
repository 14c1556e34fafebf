import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startObservedWorker } from '../src/entry/local-queue.js';
import { createDynamoDbClient } from '../src/platform/adapters/dynamodb-client.js';
import { waitFor } from '../src/platform/runtime/process-tools.js';
import { createTestStorefront, type TestStorefront } from './support/storefront.js';

/** The job queue's visibility timeout: how long a received message stays hidden before it returns. */
const VISIBILITY_SECONDS = 2;
let shop: TestStorefront;
const dynamodb = createDynamoDbClient({ region: 'us-east-1', endpoint: inject('dynamodbEndpoint') });

beforeAll(async () => {
  shop = await createTestStorefront({ stage: 'growing', visibilityTimeoutSeconds: VISIBILITY_SECONDS });
});

afterAll(async () => {
  await shop.queue?.stop();
  dynamodb.destroy();
});

/** The statuses of the worker's idempotency records (one per distinct job run) in the shop's table. */
async function idempotencyRecords(): Promise<string[]> {
  const { Items = [] } = await dynamodb.send(
    new QueryCommand({
      TableName: shop.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: 'idempotency#jobs' } },
      ConsistentRead: true,
    }),
  );
  return Items.map((item) => item.status?.S ?? 'none');
}

const mailTo = async (email: string) =>
  (await shop.call('GET', `/api/dev/mail?to=${encodeURIComponent(email)}`)).json.items as unknown[];

describe('the growing stage on one machine', () => {
  it('answers sign-up before the welcome e-mail is sent, and the worker sends it within seconds', async () => {
    const { email } = await shop.customer('Queued Customer');
    // No worker yet: the sign-up only enqueued the job.
    expect(await mailTo(email)).toHaveLength(0);
    if (shop.queue) startObservedWorker(shop.queue, shop.runtime.config, shop.runtime);
    await waitFor(async () => (await mailTo(email)).length === 1, {
      timeoutMs: 10_000,
      intervalMs: 100,
      what: 'the welcome e-mail',
    });
    expect(await mailTo(email)).toHaveLength(1);
    // The batch is counted once the handler returns, a moment after the mail left.
    const metrics = await waitFor(
      async () => {
        const text = await (await shop.runtime.app.request('/metrics')).text();
        return /jobs_processed_total [1-9]/.test(text) ? text : null;
      },
      { timeoutMs: 5_000, intervalMs: 50, what: 'jobs_processed_total' },
    );
    expect(metrics).toMatch(/queue_depth \d+/);
    expect(metrics).toMatch(/dlq_depth 0/);
  });

  it('sends one e-mail when the same job is delivered twice', async () => {
    const email = `twice-${Date.now()}@example.com`;
    const job = { type: 'send-welcome-email', userId: 'twice', email, name: 'Twice' };
    const queue = shop.queue;
    if (!queue) throw new Error('the growing stage has a queue');
    const earlierRecords = (await idempotencyRecords()).length;
    await shop.runtime.ports.jobs.enqueue(job);
    await shop.runtime.ports.jobs.enqueue(job);
    // Both deliveries are done when the queue holds neither (waiting or in flight) and the job's one
    // idempotency record is complete: the second delivery found it and was deleted without a run.
    await waitFor(
      async () => {
        const [depths, records, mail] = await Promise.all([
          queue.depths(),
          idempotencyRecords(),
          mailTo(email),
        ]);
        return (
          depths.queue === 0 &&
          records.length === earlierRecords + 1 &&
          records.every((status) => status === 'COMPLETED') &&
          mail.length > 0
        );
      },
      { timeoutMs: 20_000, intervalMs: 100, what: 'both deliveries handled' },
    );
    // A message left behind would reappear after the visibility timeout: nothing may arrive past it.
    await new Promise((resolve) => setTimeout(resolve, VISIBILITY_SECONDS * 1000 + 500));
    expect(await queue.depths()).toEqual({ queue: 0, deadLetters: 0 });
    expect(await mailTo(email)).toHaveLength(1);
  }, 30_000);

  it('serves product reads from the cache until a product changes', async () => {
    const product = await shop.product({ category: 'cached' });
    const first = await shop.call('GET', '/api/products?category=cached');
    expect(first.headers.get('x-cache')).toBe('miss');
    // Browsers revalidate every time; CloudFront may keep it 5 s (docs/caching.md: the bound).
    expect(first.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate, s-maxage=5');
    expect(first.headers.get('etag')).toMatch(/^"[\w-]+"$/);
    const second = await shop.call('GET', '/api/products?category=cached');
    expect(second.headers.get('x-cache')).toBe('hit');
    expect(second.json).toEqual(first.json);
    expect((await shop.call('GET', `/api/products/${product.id}`)).headers.get('x-cache')).toBe('miss');
    expect((await shop.call('GET', `/api/products/${product.id}`)).headers.get('x-cache')).toBe('hit');

    const admin = await shop.adminToken();
    await shop.call('PATCH', `/api/products/${product.id}`, { token: admin, body: { priceCents: 777 } });
    const after = await shop.call('GET', `/api/products/${product.id}`);
    expect(after.headers.get('x-cache')).toBe('miss');
    expect(after.json.priceCents).toBe(777);
    const metrics = await (await shop.runtime.app.request('/metrics')).text();
    expect(metrics).toMatch(/cache_hits_total [1-9]/);
    expect(metrics).toMatch(/cache_misses_total [1-9]/);
  });

  it('answers a browser that already holds the listing with 304, until a write changes it', async () => {
    const product = await shop.product({ category: 'revalidated', priceCents: 1500 });
    const first = await shop.call('GET', `/api/products/${product.id}`);
    const etag = first.headers.get('etag') as string;
    expect(etag).toBeTruthy();
    const list = await shop.call('GET', '/api/products?category=revalidated');
    const listEtag = list.headers.get('etag') as string;

    for (const path of [`/api/products/${product.id}`, '/api/products?category=revalidated']) {
      const held = path.includes('?') ? listEtag : etag;
      const unchanged = await shop.call('GET', path, { headers: { 'if-none-match': held } });
      expect(unchanged.status).toBe(304);
      expect(unchanged.json).toBeNull();
      expect(unchanged.headers.get('etag')).toBe(held);
      expect(unchanged.headers.get('cache-control')).toContain('must-revalidate');
    }

    const admin = await shop.adminToken();
    await shop.call('PATCH', `/api/products/${product.id}`, { token: admin, body: { priceCents: 1234 } });
    const changed = await shop.call('GET', `/api/products/${product.id}`, {
      headers: { 'if-none-match': etag },
    });
    expect(changed.status).toBe(200);
    expect(changed.json.priceCents).toBe(1234);
    expect(changed.headers.get('etag')).not.toBe(etag);
    const changedList = await shop.call('GET', '/api/products?category=revalidated', {
      headers: { 'if-none-match': listEtag },
    });
    expect(changedList.status).toBe(200);
    expect(changedList.json.items[0].priceCents).toBe(1234);
  });

  it('answers search from the in-process index, which sees catalog writes', async () => {
    const before = await shop.call('GET', '/api/search?q=zanzibar');
    expect(before.json).toEqual({ items: [], engine: 'in-process-index' });
    await shop.product({ name: 'Zanzibar spice box' });
    const after = await shop.call('GET', '/api/search?q=ZANZIBAR');
    expect(after.json.items.map((item: { name: string }) => item.name)).toEqual(['Zanzibar spice box']);
  });
});
