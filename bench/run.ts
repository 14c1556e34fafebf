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
import { type LoadResult, load } from './http-load.js';

// Benchmarks report, they do not pass or fail: every figure comes with the bare node:http
// ceiling measured in the same run on the same machine, so the ratios mean something on a shared box.
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 50;

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
  const config = loadConfig(
    {},
    { tableName, dynamodbEndpoint: dynamo.endpoint, local: true, logLevel: 'silent', port: 0 },
  );
  const runtime = composeRuntime(config);
  await seedDemoData(runtime.services, true);
  const server = await startHttpServer(runtime.app, { port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${server.port}`;
  const { items } = (await (await fetch(`${base}/api/products?limit=1`)).json()) as {
    items: { id: string }[];
  };
  const results: LoadResult[] = [ceiling];
  try {
    const cases = [
      { name: 'GET /api/health', url: `${base}/api/health` },
      { name: 'GET /api/products (uncached)', url: `${base}/api/products?limit=20` },
      { name: 'GET /api/products/:id (uncached)', url: `${base}/api/products/${items[0]?.id}` },
    ];
    for (const testCase of cases) {
      results.push(await load({ ...testCase, seconds: SECONDS, connections: CONNECTIONS }));
    }
  } finally {
    await server.close();
    runtime.close();
    await dynamo.stop();
  }
  const rows = results.map((result) => ({
    ...result,
    ratioToCeiling: Number((result.requestsPerSecond / ceiling.requestsPerSecond).toFixed(3)),
  }));
  console.table(rows);
  mkdirSync('bench', { recursive: true });
  writeFileSync(
    join('bench', 'results.json'),
    `${JSON.stringify({ measuredAt: new Date().toISOString(), seconds: SECONDS, connections: CONNECTIONS, baseline: ceiling.name, http: rows }, null, 2)}\n`,
  );
  console.log('\nwrote bench/results.json');
}

await main();
