import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { seedDemoData } from '../src/app/demo-data.js';
import { createDynamoDbClient } from '../src/platform/adapters/dynamodb-client.js';
import { ensureTable } from '../src/platform/adapters/dynamodb-table.js';
import { loadConfig } from '../src/platform/config.js';
import { composeRuntime } from '../src/platform/runtime/compose.js';
import { startDynamoDbLocal } from '../src/platform/runtime/dynamodb-local.js';
import { startHttpServer } from '../src/platform/runtime/http-server.js';
import { startLocalQueue } from '../src/platform/runtime/local-queue.js';
import { startSesLocal } from '../src/platform/runtime/ses-local.js';
import { type LoadResult, load } from './http-load.js';
import { workerThroughput } from './worker-throughput.js';

// Benchmarks report, they do not pass or fail: every figure comes with the bare node:http
// ceiling measured in the same run on the same machine, so the ratios mean something on a shared box.
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
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

async function main(): Promise<void> {
  console.log(`Growstack benchmarks: ${SECONDS} s per case, ${CONNECTIONS} connections, 127.0.0.1\n`);
  const ceiling = await bareCeiling();
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
  const results: LoadResult[] = [ceiling];
  let worker: Awaited<ReturnType<typeof workerThroughput>> | undefined;
  try {
    const cases = [
      { name: 'GET /api/health', url: `${base}/api/health` },
      { name: 'GET /api/products (uncached)', url: `${base}/api/products?limit=20` },
      { name: 'GET /api/products/:id (uncached)', url: `${base}/api/products/${items[0]?.id}` },
      { name: 'GET /api/products (cached, growing)', url: `${cachedBase}/api/products?limit=20` },
    ];
    for (const testCase of cases) {
      results.push(await load({ ...testCase, seconds: SECONDS, connections: CONNECTIONS }));
    }
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
  mkdirSync('bench', { recursive: true });
  writeFileSync(
    join('bench', 'results.json'),
    `${JSON.stringify({ measuredAt: new Date().toISOString(), seconds: SECONDS, connections: CONNECTIONS, baseline: ceiling.name, http: rows, cacheSpeedup, worker }, null, 2)}\n`,
  );
  console.log('\nwrote bench/results.json');
}

await main();
