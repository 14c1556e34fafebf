import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedDemoData } from '../src/app/demo-data.js';
import { composeRuntime } from '../src/entry/compose.js';
import { startLocalQueue } from '../src/entry/local-queue.js';
import { createDynamoDbClient } from '../src/platform/adapters/dynamodb-client.js';
import { ensureTable } from '../src/platform/adapters/dynamodb-table-setup.js';
import { loadConfig } from '../src/platform/config.js';
import { startDynamoDbLocal } from '../src/platform/runtime/dynamodb-local.js';
import { startSesLocal } from '../src/platform/runtime/ses-local.js';
import { residentMb, runScript, type ServerChild, startServer } from './children.js';
import { type LoadOptions, type LoadResult, load } from './http-load.js';
import { type LambdaResult, lambdaBench } from './lambda.js';
import { architectPeer, type PeerStart, planBench, startBench } from './processes.js';
import { edgeBundleBench, productPageBench } from './product-page.js';
import { type Target, target } from './targets.js';

// Every server under test (the bare node:http ceiling included) runs in its own process, and
// this process only generates load, so no server shares its event loop with autocannon. Every
// figure is a ratio to a baseline measured in the same run on the same machine.
// BENCH_ONLY=http,orders,middleware,lambda,scale,start,plan,product-page narrows a run while
// developing; BENCH_CATALOGS=64,10000 shortens the catalog-scale case (100,000 products take
// DynamoDB Local about seven minutes to write).
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
const ONLY = new Set(
  (process.env.BENCH_ONLY ?? 'http,orders,middleware,lambda,scale,start,plan,product-page').split(','),
);
const CATALOGS = process.env.BENCH_CATALOGS ?? '64,10000,100000';

interface ScaleRow {
  products: number;
  seedSeconds: number;
  operation: string;
  ms: number;
  readUnits: number;
}
interface CatalogMemory {
  products: number;
  indexMb: number;
  indexSearchMsMedian: number;
  cacheOfListingsMb: number;
  cacheOfProductsMb: number;
  cacheBoundMb: number;
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** What a browser's fetch of the API sends beyond the URL. */
const BROWSER = { 'accept-encoding': 'gzip, deflate, br, zstd' };

interface MiddlewareCosts {
  bareMicros: number;
  costs: { middleware: string; addedMicros: number }[];
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
  const logs = mkdtempSync(join(tmpdir(), 'growstack-bench-'));
  // DynamoDB Local's own start, from `java -jar` to its first answer: what `npm start` is held to.
  const dynamoStarted = performance.now();
  const dynamo = await startDynamoDbLocal();
  const dynamoStartMs = Math.round(performance.now() - dynamoStarted);
  const tableName = 'bench';
  const admin = createDynamoDbClient({ region: 'us-east-1', endpoint: dynamo.endpoint });
  await ensureTable(admin, tableName);
  admin.destroy();
  const ses = await startSesLocal();
  const queue = await startLocalQueue({ region: 'us-east-1' });
  // The defaults a user gets (log level info, tracing into the ops console's ring), except the
  // limits: one client sends thousands of requests a second, and one buyer thousands of orders.
  const env = {
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    SES_ENDPOINT: ses.endpoint,
    GROWSTACK_LOCAL: 'true',
    LOG_LEVEL: 'info',
    RATE_LIMIT: '0',
    ORDER_MAX_PRODUCT_QUANTITY_PER_WINDOW: '0',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  };
  const seeding = composeRuntime(loadConfig(env), { logger: { info() {}, warn() {}, error() {} } });
  await seedDemoData(seeding.services, true);
  const servers: ServerChild[] = [];
  const results: LoadResult[] = [];
  let raw: LoadResult | undefined;
  let middleware: MiddlewareCosts | undefined;
  let lambdas: LambdaResult[] = [];
  let scale: ScaleRow[] | undefined;
  let catalogMemory: CatalogMemory | undefined;
  const memory: { process: string; residentMb: number | null }[] = [];
  const logBytes: { server: string; bytesPerRequest: number }[] = [];
  try {
    const run = async (
      server: ServerChild,
      options: Omit<LoadOptions, 'seconds' | 'connections' | 'url'> & { path: string },
    ) => {
      const before = server.stdoutBytes();
      const result = await load({
        ...options,
        url: `${server.url}${options.path}`,
        seconds: SECONDS,
        connections: CONNECTIONS,
      });
      results.push(result);
      if (server.name.startsWith('Growstack') && result.requests > 0)
        logBytes.push({
          server: result.name,
          bytesPerRequest: Math.round((server.stdoutBytes() - before) / result.requests),
        });
      return result;
    };
    const ceiling = await startServer('bare node:http', 'ceiling', {}, join(logs, 'ceiling.log'));
    const hono = await startServer('bare Hono', 'hono', {}, join(logs, 'hono.log'));
    const startup = await startServer('Growstack startup', 'app', env, join(logs, 'startup.log'));
    const growing = await startServer(
      'Growstack growing',
      'app',
      { ...env, GROWSTACK_STAGE: 'growing', QUEUE_URL: queue.queueUrl, SQS_ENDPOINT: queue.endpoint },
      join(logs, 'growing.log'),
    );
    servers.push(ceiling, hono, startup, growing);
    const { items } = (await (await fetch(`${startup.url}/api/products?limit=1`)).json()) as {
      items: { id: string }[];
    };
    const productId = items[0]?.id as string;
    if (ONLY.has('http')) {
      // Each server first takes a second of the load it is measured under, not counted: the
      // first case on a fresh process otherwise pays V8's warm-up (about a tenth of its rate).
      const warm = (server: ServerChild, path: string, headers?: Record<string, string>) =>
        load({
          name: 'warm-up',
          url: `${server.url}${path}`,
          seconds: 1,
          connections: CONNECTIONS,
          ...(headers ? { headers } : {}),
        });
      await warm(ceiling, '/');
      await run(ceiling, { name: 'bare node:http (ceiling, before)', path: '/' });
      await warm(hono, '/');
      await run(hono, { name: 'bare Hono (node-server)', path: '/' });
      // The cached cases before the ones that load DynamoDB Local: Java's JIT and collector keep
      // a core busy for a while after them, which the cached cases would otherwise pay for.
      await warm(growing, '/api/products?limit=20', BROWSER);
      // As a browser asks (Chrome's Accept-Encoding): the listing's 7 KB go out as 1.2 KB of
      // Brotli. The same listing uncompressed is measured beside it, for the bytes' own cost.
      await run(growing, {
        name: 'GET /api/products (cached, growing)',
        path: '/api/products?limit=20',
        headers: BROWSER,
      });
      await run(growing, {
        name: 'GET /api/products (cached, growing, uncompressed)',
        path: '/api/products?limit=20',
      });
      await run(growing, {
        name: 'GET /api/products/:id (cached, growing)',
        path: `/api/products/${productId}`,
        headers: BROWSER,
      });
      const etag = (await fetch(`${growing.url}/api/products/${productId}`)).headers.get('etag') ?? '';
      await run(growing, {
        name: 'GET /api/products/:id (cached, If-None-Match → 304)',
        path: `/api/products/${productId}`,
        headers: { ...BROWSER, 'if-none-match': etag },
      });
      await warm(startup, '/api/health');
      await run(startup, { name: 'GET /api/health', path: '/api/health' });
      await run(startup, { name: 'GET /api/products (uncached, startup)', path: '/api/products?limit=20' });
      await run(startup, {
        name: 'GET /api/products/:id (uncached, startup)',
        path: `/api/products/${productId}`,
      });
      // Again after the app's cases: on a shared machine one sample of the ceiling can be
      // depressed by other load, which would flatter every ratio; the higher of the two is used.
      await run(ceiling, { name: 'bare node:http (ceiling, after)', path: '/' });
    }
    if (ONLY.has('orders')) {
      const buyer = await seeding.services.accounts.signup({
        email: `bench-${randomUUID()}@example.com`,
        password: 'bench-password',
        name: 'Bench',
      });
      // Twenty products: one hot item would measure transaction conflicts, not the order path.
      const stocked = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          seeding.services.catalog.create({
            name: `Bench stock ${index}`,
            description: '',
            category: 'bench',
            priceCents: 100,
            currency: 'USD',
            stock: 1_000_000,
          }),
        ),
      );
      raw = await runScript<LoadResult>('raw-transact.ts', [
        dynamo.endpoint,
        tableName,
        String(SECONDS),
        String(CONNECTIONS),
      ]);
      results.push(raw);
      await run(startup, {
        name: 'POST /api/orders',
        path: '/api/orders',
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${buyer.token}` },
        setupRequest: (request) => ({
          ...request,
          headers: { ...request.headers, 'idempotency-key': randomUUID() },
          body: JSON.stringify({
            items: [{ productId: stocked[Math.floor(Math.random() * stocked.length)]?.id, quantity: 1 }],
          }),
        }),
      });
    }
    for (const server of servers)
      memory.push({ process: `${server.name} (Node)`, residentMb: residentMb(server.pid) });
    memory.push({ process: 'DynamoDB Local (Java)', residentMb: residentMb(dynamo.process.pid) });
    memory.push({ process: 'bench load generator (Node)', residentMb: residentMb(process.pid) });
    if (ONLY.has('middleware')) middleware = await runScript<MiddlewareCosts>('middleware-cost.ts', []);
    if (ONLY.has('lambda'))
      lambdas = await lambdaBench({
        tableName,
        dynamodbEndpoint: dynamo.endpoint,
        sesEndpoint: ses.endpoint,
        productId,
      });
    // Last: it leaves the emulator holding a large catalog.
    if (ONLY.has('scale')) {
      scale = await runScript<ScaleRow[]>('catalog-scale.ts', [dynamo.endpoint, 'bench-scale', CATALOGS]);
      catalogMemory = await runScript<CatalogMemory>('catalog-memory.ts', ['100000'], {
        NODE_OPTIONS: '--expose-gc',
      });
    }
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    seeding.close();
    await queue.stop();
    await ses.stop();
    await dynamo.stop();
    rmSync(logs, { recursive: true, force: true });
  }
  const start = ONLY.has('start') ? await startBench() : undefined;
  const peer = ONLY.has('start') ? await architectPeer() : undefined;
  const plan = ONLY.has('plan') ? await planBench() : undefined;
  const productPage = ONLY.has('product-page') ? await productPages() : undefined;
  report({
    results,
    raw,
    middleware,
    lambdas,
    memory,
    logBytes,
    dynamoStartMs,
    start,
    peer,
    plan,
    productPage,
    scale,
    catalogMemory,
  });
}

function report(run: {
  results: LoadResult[];
  raw: LoadResult | undefined;
  middleware: MiddlewareCosts | undefined;
  lambdas: LambdaResult[];
  memory: { process: string; residentMb: number | null }[];
  logBytes: { server: string; bytesPerRequest: number }[];
  dynamoStartMs: number;
  start: Awaited<ReturnType<typeof startBench>> | undefined;
  peer: PeerStart | undefined;
  plan: Awaited<ReturnType<typeof planBench>> | undefined;
  productPage: Awaited<ReturnType<typeof productPages>> | undefined;
  scale: ScaleRow[] | undefined;
  catalogMemory: CatalogMemory | undefined;
}): void {
  const find = (name: string) => run.results.find((result) => result.name.startsWith(name));
  const ceiling = run.results
    .filter((result) => result.name.startsWith('bare node:http'))
    .sort((a, b) => b.requestsPerSecond - a.requestsPerSecond)[0];
  const rows = run.results.map(({ requests: _requests, ...result }) => ({
    ...result,
    ratioToCeiling: ceiling
      ? Number((result.requestsPerSecond / ceiling.requestsPerSecond).toFixed(3))
      : null,
  }));
  console.table(rows);
  if (run.logBytes.length) {
    console.log('\nAccess log written per request (stdout of each server):');
    console.table(run.logBytes);
  }
  if (run.middleware) {
    console.log(`\nPer-request middleware, µs added to a ${run.middleware.bareMicros} µs bare Hono request:`);
    console.table(run.middleware.costs);
  }
  if (run.lambdas.length) {
    console.log('\nLambda bundles (CDK esbuild options; cold = fresh process: import + first event):');
    console.table(run.lambdas);
  }
  if (run.scale) {
    console.log(
      '\nThe startup stage at catalog scale (DynamoDB Local; median of 20 calls, read units per call):',
    );
    console.table(run.scale);
  }
  if (run.catalogMemory) {
    const m = run.catalogMemory;
    console.log(
      `\nThe growing stage in process at ${m.products} products: search index ${m.indexMb} MB (a search ${m.indexSearchMsMedian} ms); cache of 5,000 listing pages of 100 ${m.cacheOfListingsMb} MB (bound ${m.cacheBoundMb} MB), of 5,000 products ${m.cacheOfProductsMb} MB`,
    );
  }
  console.log('\nResident memory after the load:');
  console.table(run.memory);
  console.log(`\nDynamoDB Local alone, java to first answer: ${run.dynamoStartMs} ms`);
  if (run.start)
    console.log(
      `growstack dev to healthy: cold ${run.start.coldMs} ms, warm ${median(run.start.warmMs)} ms (median of ${run.start.warmMs.join(', ')}); DynamoDB Local alone beside them: ${median(run.start.dynamoAloneMs)} ms (median of ${run.start.dynamoAloneMs.join(', ')})`,
    );
  if (run.peer)
    console.log(
      'startMs' in run.peer
        ? `Architect sandbox (the offline peer), spawn to its first 200: ${median(run.peer.startMs)} ms (median of ${run.peer.startMs.join(', ')})`
        : `Architect sandbox (the offline peer): ${run.peer.skipped}`,
    );
  // The start bounds use the baseline sampled beside the starts (a median), not the one sample
  // taken before the HTTP cases.
  const dynamoStartMs = run.start ? median(run.start.dynamoAloneMs) : run.dynamoStartMs;
  if (run.plan)
    console.log(`growstack plan --stage all: cold ${run.plan.coldMs} ms, warm ${run.plan.warmMs} ms`);
  const ratio = (name: string) => {
    const result = find(name);
    return result && ceiling ? result.requestsPerSecond / ceiling.requestsPerSecond : undefined;
  };
  const cachedList = find('GET /api/products (cached, growing)');
  const cachedOne = find('GET /api/products/:id (cached, growing)');
  const orders = find('POST /api/orders');
  const api = run.lambdas.find((lambda) => lambda.name.startsWith('API'));
  const bare = run.lambdas.find((lambda) => lambda.name.startsWith('bare'));
  const targets: Target[] = [
    target(
      'cached product listing / node:http ceiling',
      ratio('GET /api/products (cached, growing)'),
      '≥',
      0.5,
    ),
    target(
      'cached single product / node:http ceiling',
      ratio('GET /api/products/:id (cached, growing)'),
      '≥',
      0.6,
    ),
    target(
      'cached reads p99 / ceiling p99',
      cachedList && cachedOne && ceiling
        ? Math.max(cachedList.p99Ms, cachedOne.p99Ms) / Math.max(ceiling.p99Ms, 1)
        : undefined,
      '≤',
      3,
    ),
    target(
      'orders / raw TransactWriteItems',
      orders && run.raw ? orders.requestsPerSecond / run.raw.requestsPerSecond : undefined,
      '≥',
      0.7,
    ),
    target('API Lambda bundle, KB minified', api ? api.bundleBytes / 1024 : undefined, '≤', 500),
    target(
      'warm start to healthy − DynamoDB Local start, s',
      run.start ? (median(run.start.warmMs) - dynamoStartMs) / 1000 : undefined,
      '≤',
      0.5,
    ),
    // The bound for a first run (table, seed, web build): the warm bound + 2 s.
    target(
      'cold start to healthy − DynamoDB Local start, s',
      run.start ? (run.start.coldMs - dynamoStartMs) / 1000 : undefined,
      '≤',
      2.5,
    ),
    target(
      'API cold init / bare handler cold init',
      api && bare ? api.coldInitMs / bare.coldInitMs : undefined,
      '≤',
      3,
    ),
  ];
  // Read units at the largest catalog against the smallest, per operation: what grows with it.
  const growth = (operation: string) => {
    const rows = (run.scale ?? []).filter((row) => row.operation.startsWith(operation));
    const [first, last] = [rows[0], rows.at(-1)];
    return first && last && rows.length > 1 && first.readUnits > 0
      ? last.readUnits / first.readUnits
      : undefined;
  };
  targets.push(
    target(
      'search read units, largest catalog / 64 products (term in 5)',
      growth('search "zircon"'),
      '≤',
      1.5,
    ),
    target('listing read units, largest catalog / 64 products', growth('list'), '≤', 1.5),
    // A search whose matches grow with the catalog reads about what it shows (20 products).
    target(
      'common-word search read units per product shown, largest catalog',
      (() => {
        const rows = (run.scale ?? []).filter((row) => row.operation.startsWith('search "walnut'));
        const last = rows.at(-1);
        return last ? last.readUnits / 20 : undefined;
      })(),
      '≤',
      1.5,
    ),
    target('growing search index at 100,000 products, MB', run.catalogMemory?.indexMb, '≤', 128),
    target('growing cache of 5,000 100-product pages, MB', run.catalogMemory?.cacheOfListingsMb, '≤', 80),
  );
  const initCost = api ? initCostPerMillion(api.coldInitMs) : undefined;
  if (initCost !== undefined)
    console.log(
      `\nAPI init billed per million cold starts (512 MB arm64, ${api?.coldInitMs} ms): $${initCost.toFixed(2)}`,
    );
  console.log('\nTargets:');
  console.table(targets);
  mkdirSync('bench', { recursive: true });
  const { results: _results, ...rest } = run;
  writeFileSync(
    join('bench', 'results.json'),
    `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, seconds: SECONDS, connections: CONNECTIONS, http: rows, ...rest, apiInitUsdPerMillionColdStarts: initCost, targets }, null, 2)}\n`,
  );
  console.log('\nwrote bench/results.json');
}

/**
 * Lambda bills the init phase like duration (since 1 August 2025:
 * https://aws.amazon.com/blogs/compute/aws-lambda-standardizes-billing-for-init-phase/): the API
 * function's memory (512 MB, src/infra/constructs/node-function.ts) × init seconds × the plan's
 * arm64 GB-second price, for a million cold starts.
 */
function initCostPerMillion(coldInitMs: number): number | undefined {
  // AWS's own price list first (the Lambda prices live there), the secondary file after.
  const price = ['aws-price-list.json', 'prices.json']
    .flatMap(
      (file) =>
        (
          JSON.parse(
            readFileSync(join(import.meta.dirname, '..', 'src', 'cost', 'prices', file), 'utf8'),
          ) as {
            prices: { key: string; region: string; tiers?: { usd: string }[] }[];
          }
        ).prices,
    )
    .find((entry) => entry.key === 'lambda.duration.arm64' && entry.region === 'us-east-1');
  const usd = Number(price?.tiers?.[0]?.usd);
  return Number.isFinite(usd) ? (coldInitMs / 1000) * 0.5 * usd * 1_000_000 : undefined;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

await main();
