import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Hono } from 'hono';
import { seedDemoData } from '../src/app/demo-data.js';
import { composeRuntime } from '../src/entry/compose.js';
import { startLocalQueue } from '../src/entry/local-queue.js';
import { createDynamoDbClient } from '../src/platform/adapters/dynamodb-client.js';
import { ensureTable } from '../src/platform/adapters/dynamodb-table-setup.js';
import { loadConfig } from '../src/platform/config.js';
import { startDynamoDbLocal } from '../src/platform/runtime/dynamodb-local.js';
import { startHttpServer } from '../src/platform/runtime/http-server.js';
import { startSesLocal } from '../src/platform/runtime/ses-local.js';
import { type LoadResult, load } from './http-load.js';
import { type LambdaResult, lambdaBench } from './lambda.js';
import { planBench, startBench } from './processes.js';
import { edgeBundleBench, productPageBench } from './product-page.js';
import { workerThroughput } from './worker-throughput.js';

// Benchmarks report, they do not pass or fail: every figure comes with the bare node:http
// ceiling measured in the same run on the same machine, so the ratios mean something on a shared box.
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
const WORKER_JOBS = Number(process.env.BENCH_JOBS ?? 500);

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function bareCeiling(): Promise<LoadResult> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"status":"ok"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await load({
      name: 'bare node:http',
      url: `http://127.0.0.1:${port}/`,
      seconds: SECONDS,
      connections: CONNECTIONS,
    });
  } finally {
    server.close();
  }
}

/** The same hello-world on Hono through @hono/node-server: what the framework adapter alone costs. */
async function bareHono(): Promise<LoadResult> {
  const app = new Hono();
  app.get('/', (c) => c.json({ status: 'ok' }));
  const server = await startHttpServer(app, { port: 0, host: '127.0.0.1' });
  try {
    return await load({
      name: 'bare Hono (node-server)',
      url: `${server.url}/`,
      seconds: SECONDS,
      connections: CONNECTIONS,
    });
  } finally {
    await server.close();
  }
}

/** The product pages crawlers read (`BENCH_ONLY=product-page npm run bench` runs this alone). */
async function productPages() {
  const pages = await productPageBench();
  const edgeBundle = await edgeBundleBench();
  console.log('\nProduct pages for crawlers (the renderer the edge function and the local server share):');
  console.table(pages);
  console.log(
    `edge bundle: ${edgeBundle.bundleBytes} bytes minified, ${edgeBundle.gzipBytes} gzipped, OpenTelemetry ${edgeBundle.openTelemetry ? 'bundled' : 'not bundled'}`,
  );
  return { pages, edgeBundle };
}

async function main(): Promise<void> {
  if (process.env.BENCH_ONLY === 'product-page') {
    await productPages();
    return;
  }
  console.log(`Growstack benchmarks: ${SECONDS} s per case, ${CONNECTIONS} connections, 127.0.0.1\n`);
  const ceiling = await bareCeiling();
  const hono = await bareHono();
  const dynamo = await startDynamoDbLocal();
  const tableName = 'bench';
  const admin = createDynamoDbClient({ region: 'us-east-1', endpoint: dynamo.endpoint });
  await ensureTable(admin, tableName);
  admin.destroy();
  const ses = await startSesLocal();
  const queue = await startLocalQueue({ region: 'us-east-1' });
  const shared = {
    tableName,
    dynamodbEndpoint: dynamo.endpoint,
    sesEndpoint: ses.endpoint,
    local: true,
    logLevel: 'silent',
    port: 0,
    // Throughput, not the limiter, is measured: one client sends thousands of requests a second.
    rateLimit: 0,
    // One bench buyer places thousands of orders: the per-account cap would refuse all but ten.
    orderMaxProductQuantityPerWindow: 0,
  } as const;
  const config = loadConfig({}, shared);
  const runtime = composeRuntime(config);
  await seedDemoData(runtime.services, true);
  const server = await startHttpServer(runtime.app, { port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${server.port}`;
  // The growing stage on the same table: same routes, with the in-process cache in front.
  const growingConfig = loadConfig(
    {},
    { ...shared, stage: 'growing', queueUrl: queue.queueUrl, sqsEndpoint: queue.endpoint },
  );
  const growing = composeRuntime(growingConfig);
  const growingServer = await startHttpServer(growing.app, { port: 0, host: '127.0.0.1' });
  const cachedBase = `http://127.0.0.1:${growingServer.port}`;
  const { items } = (await (await fetch(`${base}/api/products?limit=1`)).json()) as {
    items: { id: string }[];
  };
  const results: LoadResult[] = [ceiling, hono];
  let worker: Awaited<ReturnType<typeof workerThroughput>> | undefined;
  let lambdas: LambdaResult[] = [];
  try {
    // Orders need a buyer and stock that outlasts the run; each request carries a fresh key.
    const buyer = await runtime.services.accounts.signup({
      email: `bench-${randomUUID()}@example.com`,
      password: 'bench-password',
      name: 'Bench',
    });
    // Twenty products: one hot item would measure transaction conflicts, not the order path.
    const stocked = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        runtime.services.catalog.create({
          name: `Bench stock ${index}`,
          description: '',
          category: 'bench',
          priceCents: 100,
          currency: 'USD',
          stock: 1_000_000,
        }),
      ),
    );
    const cases = [
      { name: 'GET /api/health', url: `${base}/api/health` },
      { name: 'GET /api/products (uncached)', url: `${base}/api/products?limit=20` },
      { name: 'GET /api/products/:id (uncached)', url: `${base}/api/products/${items[0]?.id}` },
      { name: 'GET /api/products (cached, growing)', url: `${cachedBase}/api/products?limit=20` },
      {
        name: 'POST /api/orders',
        url: `${base}/api/orders`,
        method: 'POST' as const,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${buyer.token}` },
        setupRequest: (request: { headers?: Record<string, string> }) => ({
          ...request,
          headers: { ...request.headers, 'idempotency-key': randomUUID() },
          body: JSON.stringify({
            items: [{ productId: stocked[Math.floor(Math.random() * stocked.length)]?.id, quantity: 1 }],
          }),
        }),
      },
    ];
    for (const testCase of cases) {
      results.push(await load({ ...testCase, seconds: SECONDS, connections: CONNECTIONS }));
    }
    lambdas = await lambdaBench({
      tableName,
      dynamodbEndpoint: dynamo.endpoint,
      sesEndpoint: ses.endpoint,
      productId: items[0]?.id as string,
    });
    worker = await workerThroughput({
      queue,
      jobs: growing.ports.jobs,
      config: growingConfig,
      logger: growing.ports.logger,
      count: WORKER_JOBS,
    });
  } finally {
    await server.close();
    await growingServer.close();
    runtime.close();
    growing.close();
    await queue.stop();
    await ses.stop();
    await dynamo.stop();
  }
  const productPage = await productPages();
  console.log('\ntiming growstack dev (npm start) to a healthy /api/health, and growstack plan...\n');
  const start = await startBench();
  const plan = await planBench();
  const rows = results.map((result) => ({
    ...result,
    ratioToCeiling: Number((result.requestsPerSecond / ceiling.requestsPerSecond).toFixed(3)),
  }));
  console.table(rows);
  const uncached = rows.find((row) => row.name === 'GET /api/products (uncached)');
  const cached = rows.find((row) => row.name === 'GET /api/products (cached, growing)');
  const cacheSpeedup =
    uncached && cached ? Number((cached.requestsPerSecond / uncached.requestsPerSecond).toFixed(1)) : null;
  console.log(`\ncached / uncached GET /api/products: ${cacheSpeedup}x`);
  console.log(
    `worker: ${worker?.jobs} jobs through fauxqs → worker → SES stand-in in ${worker?.seconds} s = ${worker?.jobsPerSecond} jobs/s`,
  );
  console.log(
    "\nLambda bundles (built with the CDK stack's esbuild options; cold = fresh process import + first event):",
  );
  console.table(lambdas);
  const warmStart = median(start.warmMs);
  console.log(
    `\ngrowstack dev to healthy: cold ${start.coldMs} ms (fresh data), warm ${warmStart} ms (median of ${start.warmMs.join(', ')})`,
  );
  console.log(
    `growstack plan --stage all: cold ${plan.coldMs} ms (synthesizes), warm ${plan.warmMs} ms (cached templates)`,
  );
  const api = lambdas.find((lambda) => lambda.name.startsWith('API'));
  const targets = [
    target('cached product listing ≥ 50% of the node:http ceiling', cached?.ratioToCeiling ?? 0, 0.5, '≥'),
    target('API Lambda bundle ≤ 500 KB minified', (api?.bundleBytes ?? 0) / 1024, 500, '≤'),
    target(
      'API cold init ≤ 3 × warm invoke + 150 ms',
      api?.coldInitMs ?? 0,
      3 * (api?.warmP50Ms ?? 0) + 150,
      '≤',
    ),
    target('start to healthy ≤ 10 s warm', warmStart / 1000, 10, '≤'),
  ];
  console.log('\nTargets:');
  console.table(targets);
  mkdirSync('bench', { recursive: true });
  writeFileSync(
    join('bench', 'results.json'),
    `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, seconds: SECONDS, connections: CONNECTIONS, baseline: ceiling.name, http: rows, cacheSpeedup, worker, lambdas, productPage, start, plan, targets }, null, 2)}\n`,
  );
  console.log('\nwrote bench/results.json');
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function target(name: string, measured: number, limit: number, sense: '≥' | '≤') {
  const round = (value: number) => Math.round(value * 1000) / 1000;
  const met = sense === '≥' ? measured >= limit : measured <= limit;
  return { target: name, measured: round(measured), limit: `${sense} ${round(limit)}`, met };
}

await main();
