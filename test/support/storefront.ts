import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import type {
  Clock,
  CostAdvisor,
  IdentityProvider,
  Logger,
  ProductRecord,
} from '../../src/contracts/ports.js';
import { capabilitiesOf, type Stage } from '../../src/contracts/stages.js';
import type { CachedTemplateReader } from '../../src/contracts/templates.js';
import { opsCostReport } from '../../src/cost/advise/ops-report.js';
import { composeRuntime, type Runtime } from '../../src/entry/compose.js';
import { connectLocalQueue, type LocalQueue } from '../../src/entry/local-queue.js';
import { startLocalTraces } from '../../src/entry/local-traces.js';
import { stageMapSource } from '../../src/entry/stage-map-source.js';
import { streamAnalytics } from '../../src/entry/stream-analytics.js';
import { createRedisClient } from '../../src/platform/adapters/redis-client.js';
import { loadConfig } from '../../src/platform/config.js';
import { freshTable } from './fixtures.js';

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

export interface CallOptions {
  readonly body?: unknown;
  /** Sent as is, for malformed or oversized bodies. */
  readonly rawBody?: string;
  readonly token?: string;
  readonly headers?: Record<string, string>;
}

export interface CallResult {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
  readonly json: any;
}

export interface TestStorefront {
  readonly runtime: Runtime;
  readonly tableName: string;
  /** The growing stage's queue pair in the run's fauxqs; its worker starts with startWorker(). */
  readonly queue: LocalQueue | undefined;
  call(method: string, path: string, options?: CallOptions): Promise<CallResult>;
  /** Signs up a fresh customer and returns its token and id. */
  customer(name?: string): Promise<{ token: string; id: string; email: string }>;
  /** An admin's token (created through the service: the API never makes admins). */
  adminToken(): Promise<string>;
  /** Adds a product straight through the catalog service. */
  product(overrides?: Partial<ProductRecord>): Promise<ProductRecord>;
}

/**
 * The real app on a fresh table in the run's DynamoDB Local, called in process through Hono's
 * request(): the same middleware, validation and SDK calls as a served request.
 */
export async function createTestStorefront(
  options: {
    clock?: Clock;
    stage?: Stage;
    visibilityTimeoutSeconds?: number;
    /** False: no cost model, as on Lambda. */
    costReport?: false;
    /** The synthesized-templates cache the ops console reads (none: every stage unpriced). */
    templates?: CachedTemplateReader;
    /** Another DynamoDB Local than the run's (fault tests kill and restart their own). */
    dynamodbEndpoint?: string;
    /** Another fauxqs than the run's. */
    sqsEndpoint?: string;
    /** Another Redis than the run's (scaling stage). */
    redisUrl?: string;
    /** Requests per client per window; the suites run with none unless they test it. */
    rateLimit?: number;
    /** Analytics events per client per window; none unless a suite tests it. */
    eventRateLimit?: number;
    /** Proxies appending to X-Forwarded-For, for suites that tell clients apart by that header. */
    trustedProxies?: number;
    rateLimitWindowSeconds?: number;
    /** Sign-in through a (local) Cognito user pool instead of the stage's own sessions. */
    identity?: IdentityProvider;
    /** scrypt cost (log2 N) of new password hashes. */
    passwordHashCost?: number;
    /** Trace every request and job into the process's trace ring, served at /api/ops/traces. */
    traces?: boolean;
    /** Where the app's log lines (the access log included) go; silent by default. */
    logger?: Logger;
  } = {},
): Promise<TestStorefront> {
  const endpoint = options.dynamodbEndpoint ?? inject('dynamodbEndpoint');
  const tableName = await freshTable('test', endpoint);
  const stage = options.stage ?? 'startup';
  // Stages with a queue get their own queue pair in the run's fauxqs; the worker starts on demand.
  const queue =
    capabilitiesOf(stage).jobs === 'sqs'
      ? await connectLocalQueue(options.sqsEndpoint ?? inject('sqsEndpoint'), {
          region: 'us-east-1',
          name: `jobs-${randomUUID()}`,
          visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 2,
        })
      : undefined;
  const config = loadConfig(
    {},
    {
      stage,
      tableName,
      dynamodbEndpoint: endpoint,
      sesEndpoint: inject('sesEndpoint'),
      queueUrl: queue?.queueUrl,
      sqsEndpoint: queue?.endpoint,
      local: true,
      logLevel: 'silent',
      // The suites sign up hundreds of users: hash at the earlier cost (2^15); the default (2^17)
      // and the rehash to it are tested in accounts.test.ts.
      passwordHashCost: options.passwordHashCost ?? 15,
      rateLimit: options.rateLimit ?? 0,
      eventRateLimit: options.eventRateLimit ?? 0,
      ...(options.trustedProxies ? { trustedProxies: options.trustedProxies } : {}),
      ...(options.rateLimitWindowSeconds ? { rateLimitWindowSeconds: options.rateLimitWindowSeconds } : {}),
      ...(capabilitiesOf(stage).cache === 'redis'
        ? { redisUrl: options.redisUrl ?? inject('redisUrl') }
        : {}),
    },
  );
  const runtime = composeRuntime(config, {
    redis: createRedisClient,
    streamAnalytics,
    logger: options.logger ?? silentLogger,
    ...(options.costReport === false
      ? {}
      : {
          costReport: (text: string, templates: CachedTemplateReader) =>
            opsCostReport(text, 'us-east-1', templates),
        }),
    ...(options.templates
      ? {
          templates: options.templates,
          stageMaps: (costAdvisor: CostAdvisor | undefined) =>
            stageMapSource({ running: stage, local: true, readTemplates: options.templates!, costAdvisor }),
        }
      : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.identity ? { identity: options.identity } : {}),
    ...(options.traces ? { traces: startLocalTraces(config).store } : {}),
  });
  let admin: string | undefined;
  let sequence = 0;

  const call = async (method: string, path: string, callOptions: CallOptions = {}): Promise<CallResult> => {
    const headers: Record<string, string> = { ...callOptions.headers };
    let body: string | undefined = callOptions.rawBody;
    if (callOptions.body !== undefined) {
      body = JSON.stringify(callOptions.body);
      headers['content-type'] ??= 'application/json';
    }
    if (callOptions.token) headers.authorization = `Bearer ${callOptions.token}`;
    const response = await runtime.app.request(path, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    const text = await response.text();
    let json: unknown = text;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON (HTML, Prometheus text): tests read the text.
    }
    return { status: response.status, headers: response.headers, json };
  };

  return {
    runtime,
    tableName,
    queue,
    call,
    async customer(name = 'Test Customer') {
      const email = `customer-${++sequence}-${randomUUID().slice(0, 8)}@example.com`;
      const result = await call('POST', '/api/auth/signup', {
        body: { email, password: 'password-123', name },
      });
      if (result.status !== 201)
        throw new Error(`signup failed: ${result.status} ${JSON.stringify(result.json)}`);
      return { token: result.json.token, id: result.json.user.id, email };
    },
    async adminToken() {
      if (!admin) {
        const email = `admin-${randomUUID().slice(0, 8)}@example.com`;
        admin = (
          await runtime.services.accounts.signup(
            { email, password: 'admin-password-1', name: 'Admin' },
            'admin',
          )
        ).token;
      }
      return admin;
    },
    product(overrides = {}) {
      return runtime.services.catalog.create({
        name: overrides.name ?? `Test product ${++sequence}`,
        description: overrides.description ?? 'A product made for a test.',
        category: overrides.category ?? 'testing',
        priceCents: overrides.priceCents ?? 1250,
        currency: overrides.currency ?? 'USD',
        stock: overrides.stock ?? 10,
      });
    },
  };
}

/** Sends many requests at once and returns their statuses. */
export function inParallel<T>(count: number, run: (index: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => run(index)));
}

/** How many e-mails the local SES stand-in holds for one address. */
export async function mailCount(shop: TestStorefront, email: string): Promise<number> {
  const result = await shop.call('GET', `/api/dev/mail?to=${encodeURIComponent(email)}`);
  return (result.json.items as unknown[]).length;
}
