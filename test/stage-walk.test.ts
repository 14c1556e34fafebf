import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_ADMIN, seedDemoData } from '../src/app/demo-data.js';
import { capabilitiesOf, type Stage } from '../src/contracts/stages.js';
import { composeRuntime, type Runtime } from '../src/entry/compose.js';
import { connectLocalQueue, type LocalQueue } from '../src/entry/local-queue.js';
import { streamAnalytics } from '../src/entry/stream-analytics.js';
import { LocalCognitoIdentity } from '../src/platform/adapters/cognito-identity.js';
import { createKinesisClient, ensureStream } from '../src/platform/adapters/kinesis-events.js';
import { createRedisClient } from '../src/platform/adapters/redis-client.js';
import { loadConfig } from '../src/platform/config.js';
import { type KinesisLocal, startKinesisLocal } from '../src/platform/runtime/kinesis-local.js';
import { freshTable } from './support/fixtures.js';
import { silentLogger } from './support/storefront.js';

interface Reply {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
  readonly json: any;
}

/** The local supervisor's stand-in pool, kept in the data folder's user-pool.json. */
const POOL = { userPoolId: 'us-east-1_GrowstackLocal', clientId: 'growstack-local-api' };
const CUSTOMER = { email: `walker-${randomUUID().slice(0, 8)}@example.com`, password: 'walking-all-stages' };

/**
 * The growth path on one machine: one table in one DynamoDB Local and one data folder, the app
 * composed per stage as the local supervisor composes it (demo data seeded, the stand-in pool
 * read from the folder at enterprise), walked up and back down with the same people and orders.
 */
describe('moving through every stage on one data folder', () => {
  let dataDir: string;
  let tableName: string;
  let queue: LocalQueue;
  let kinesis: KinesisLocal;
  let runtime: Runtime | undefined;
  /** What must survive every move. */
  const expected = { orders: [] as string[], stock: new Map<string, number>(), catalog: 0 };
  const madeAtEnterprise = {
    email: `enterprise-${randomUUID().slice(0, 8)}@example.com`,
    password: 'made-at-enterprise',
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'growstack-walk-'));
    tableName = await freshTable('walk');
    queue = await connectLocalQueue(inject('sqsEndpoint'), {
      region: 'us-east-1',
      name: `walk-${randomUUID()}`,
    });
    kinesis = await startKinesisLocal();
    const client = createKinesisClient({ region: 'us-east-1', endpoint: kinesis.endpoint });
    await ensureStream(client, 'walk-events');
    client.destroy();
  });

  afterAll(async () => {
    runtime?.close();
    await queue?.stop();
    await kinesis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Starts the stage's app on the shared table and folder, as `npm start -- --stage S` would. */
  async function startStage(stage: Stage): Promise<Runtime> {
    runtime?.close();
    const caps = capabilitiesOf(stage);
    const config = loadConfig(
      {},
      {
        stage,
        tableName,
        dataDir,
        local: true,
        logLevel: 'silent',
        rateLimit: 0,
        passwordHashCost: 15,
        dynamodbEndpoint: inject('dynamodbEndpoint'),
        sesEndpoint: inject('sesEndpoint'),
        ...(caps.jobs === 'sqs' ? { queueUrl: queue.queueUrl, sqsEndpoint: queue.endpoint } : {}),
        ...(caps.cache === 'redis' || caps.sessions !== 'dynamodb' ? { redisUrl: inject('redisUrl') } : {}),
        ...(caps.analytics === 'kinesis'
          ? { kinesisStream: 'walk-events', kinesisEndpoint: kinesis.endpoint }
          : {}),
      },
    );
    const identity =
      caps.sessions === 'cognito'
        ? await LocalCognitoIdentity.create(POOL, { file: join(dataDir, 'user-pool.json') })
        : undefined;
    runtime = composeRuntime(config, {
      logger: silentLogger,
      redis: createRedisClient,
      streamAnalytics,
      ...(identity ? { identity } : {}),
    });
    await seedDemoData(runtime.services, await runtime.ports.table.products.isEmpty());
    return runtime;
  }

  async function call(
    method: string,
    path: string,
    options: { body?: unknown; token?: string; key?: string } = {},
  ): Promise<Reply> {
    const response = await (runtime as Runtime).app.request(path, {
      method,
      headers: {
        ...(options.body ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.key ? { 'idempotency-key': options.key } : {}),
      },
      ...(options.body ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : null };
  }

  async function signIn(who: { email: string; password: string }, stage: Stage): Promise<string> {
    const result = await call('POST', '/api/auth/login', { body: who });
    expect(result.status, `${who.email} signs in at ${stage}: ${JSON.stringify(result.json)}`).toBe(200);
    return result.json.token;
  }

  async function catalogCount(): Promise<number> {
    let count = 0;
    let cursor: string | null = null;
    do {
      const page = await call(
        'GET',
        `/api/products?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      count += page.json.items.length;
      cursor = page.json.nextCursor;
    } while (cursor);
    return count;
  }

  /** Everyone signs in; the orders, the stock and the catalog are as they were. */
  async function checkEverything(stage: Stage): Promise<void> {
    const adminToken = await signIn(DEMO_ADMIN, stage);
    expect((await call('GET', '/api/ops/stage', { token: adminToken })).status).toBe(200);
    const token = await signIn(CUSTOMER, stage);
    const orders = await call('GET', '/api/orders?limit=100', { token });
    expect(orders.json.items.map((order: { id: string }) => order.id).sort()).toEqual(
      [...expected.orders].sort(),
    );
    for (const [id, stock] of expected.stock)
      expect((await call('GET', `/api/products/${id}`)).json.stock, `stock of ${id} at ${stage}`).toBe(stock);
    expect(await catalogCount()).toBe(expected.catalog);
  }

  it('keeps the customer, the admin, the orders, the stock and the catalog from startup to enterprise and back', async () => {
    await startStage('startup');
    const signup = await call('POST', '/api/auth/signup', { body: { ...CUSTOMER, name: 'Walker' } });
    expect(signup.status).toBe(201);
    const products = (await call('GET', '/api/products?limit=2')).json.items as {
      id: string;
      stock: number;
    }[];
    for (const [index, product] of products.entries()) {
      const placed = await call('POST', '/api/orders', {
        token: signup.json.token,
        key: `walk-${index}`,
        body: { items: [{ productId: product.id, quantity: 1 }] },
      });
      expect(placed.status).toBe(201);
      expected.orders.push(placed.json.id);
      expected.stock.set(product.id, product.stock - 1);
    }
    expected.catalog = await catalogCount();
    expect(expected.catalog).toBeGreaterThan(0);
    await checkEverything('startup');

    for (const stage of ['growing', 'scaling', 'enterprise'] as const) {
      await startStage(stage);
      await checkEverything(stage);
    }
    // An account made at enterprise keeps its password hash in the table: a move down keeps it.
    expect(
      (await call('POST', '/api/auth/signup', { body: { ...madeAtEnterprise, name: 'Late' } })).status,
    ).toBe(201);

    for (const stage of ['scaling', 'startup', 'enterprise'] as const) {
      await startStage(stage);
      await checkEverything(stage);
      await signIn(madeAtEnterprise, stage);
    }
  }, 180_000);
});
