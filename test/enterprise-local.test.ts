import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ConfigError } from '../src/contracts/errors.js';
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

const POOL = { userPoolId: 'us-east-1_LocalPool1', clientId: 'storefront-api-client' };

/**
 * The enterprise stage's app on one machine: sign-in through the stand-in user pool, events on a
 * kinesalite stream ranked into the ops console's top products, and search by the in-process
 * index (no OpenSearch here), which every answer names.
 */
describe('the enterprise stage, locally', () => {
  let kinesis: KinesisLocal;
  let queue: LocalQueue;
  let runtime: Runtime;
  const settings = (tableName: string) => ({
    stage: 'enterprise' as const,
    tableName,
    dynamodbEndpoint: inject('dynamodbEndpoint'),
    redisUrl: inject('redisUrl'),
    queueUrl: queue.queueUrl,
    sqsEndpoint: queue.endpoint,
    kinesisStream: 'events',
    kinesisEndpoint: kinesis.endpoint,
    local: true,
    rateLimit: 0,
  });

  beforeAll(async () => {
    kinesis = await startKinesisLocal();
    const client = createKinesisClient({ region: 'us-east-1', endpoint: kinesis.endpoint });
    await ensureStream(client, 'events');
    client.destroy();
    queue = await connectLocalQueue(inject('sqsEndpoint'), {
      region: 'us-east-1',
      name: `ent-${randomUUID()}`,
    });
    const tableName = await freshTable('enterprise');
    runtime = composeRuntime(loadConfig({}, settings(tableName)), {
      logger: silentLogger,
      redis: createRedisClient,
      streamAnalytics,
      identity: await LocalCognitoIdentity.create(POOL),
    });
  });

  afterAll(async () => {
    runtime?.close();
    await queue?.stop();
    await kinesis?.stop();
  });

  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    const response = await runtime.app.request(path, {
      method,
      headers: {
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
    const json: any = await response.json();
    return { status: response.status, json };
  };

  it('signs up through the pool, streams events, and ranks the top products in the ops console', async () => {
    const { token: adminToken } = await runtime.services.accounts.signup(
      { email: `ops-${randomUUID().slice(0, 8)}@example.com`, password: 'admin-password-1', name: 'Ops' },
      'admin',
    );
    const shopper = await call('POST', '/api/auth/signup', {
      email: `shopper-${randomUUID().slice(0, 8)}@example.com`,
      password: 'correct-horse-7',
      name: 'Shopper',
    });
    expect(shopper.status).toBe(201);
    expect(shopper.json.token.split('.')).toHaveLength(3);

    const lamp = await runtime.services.catalog.create({
      name: 'Lamp',
      description: 'Bright',
      category: 'home',
      priceCents: 1000,
      currency: 'USD',
      stock: 4,
    });
    const desk = await runtime.services.catalog.create({
      name: 'Desk',
      description: 'Oak',
      category: 'office',
      priceCents: 9000,
      currency: 'USD',
      stock: 1,
    });
    for (const [productId, type] of [
      [lamp.id, 'view'],
      [lamp.id, 'view'],
      [desk.id, 'view'],
      [desk.id, 'add_to_cart'],
      [lamp.id, 'checkout'],
    ] as const)
      expect((await call('POST', '/api/events', { type, productId })).status).toBe(202);

    const report = await call('GET', '/api/ops/analytics/top-products?window=hour', undefined, adminToken);
    expect(report.status).toBe(200);
    expect(report.json).toMatchObject({
      window: 'hour',
      events: 5,
      source: 'local stream consumer (kinesalite)',
      products: [
        { productId: lamp.id, name: lamp.name, views: 2, addsToCart: 0, checkouts: 1 },
        { productId: desk.id, name: desk.name, views: 1, addsToCart: 1, checkouts: 0 },
      ],
    });
    // Events go to the stream, not to the table's counters.
    expect(await runtime.ports.table.counters.countsFor(lamp.id)).toEqual({});

    const search = await call('GET', '/api/search?q=oak&category=office');
    expect(search.json).toMatchObject({ engine: 'in-process-index', items: [{ id: desk.id }] });
  });

  it('refuses to start without the pool, or on AWS without the search domain, in one line each', () => {
    const config = loadConfig({}, settings('any-table'));
    expect(() => composeRuntime(config, { redis: createRedisClient, streamAnalytics })).toThrow(
      new ConfigError(
        "stage 'enterprise' signs users in through a Cognito user pool, which this entry point does not carry",
      ),
    );
    expect(() =>
      composeRuntime(
        { ...config, local: false },
        { redis: createRedisClient, streamAnalytics, identity: {} as never },
      ),
    ).toThrow(/opensearchEndpoint \(OPENSEARCH_ENDPOINT\): required at stage 'enterprise'/);
  });
});
