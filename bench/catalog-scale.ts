// How the startup stage's reads grow with the catalog: one table on DynamoDB Local grown to each
// size in turn (BatchWriteItem, through the products port's createMany), and at each size the
// listing, one product and two searches timed and metered in read units (DynamoDB's
// ConsumedCapacity for every Query, GetItem and BatchGetItem). Prints `BENCH <json>`.
// Arguments: DynamoDB endpoint, table name, sizes (comma-separated, ascending).
import { createDynamoDbClient } from '../src/platform/adapters/dynamodb-client.js';
import { createDynamoDbTable } from '../src/platform/adapters/dynamodb-table-port.js';
import { ensureTable } from '../src/platform/adapters/dynamodb-table-setup.js';
import { productAt, RARE_MATCHES, RARE_WORD } from './catalog-generator.js';

const [endpoint = '', tableName = 'bench-scale', sizesArg = '64,10000,100000'] = process.argv.slice(2);
const sizes = sizesArg.split(',').map(Number);
const SAMPLES = 20;

const client = createDynamoDbClient({ region: 'us-east-1', endpoint });
let units = 0;
const READS = new Set(['QueryCommand', 'GetItemCommand', 'BatchGetItemCommand']);
client.middlewareStack.add(
  (next, context) => async (args) => {
    const reads = READS.has(context.commandName ?? '');
    if (reads) (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
    const result = await next(args);
    if (reads)
      for (const entry of [(result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity].flat() as (
        | { CapacityUnits?: number }
        | undefined
      )[])
        units += entry?.CapacityUnits ?? 0;
    return result;
  },
  { step: 'initialize', name: 'meterReads' },
);
await ensureTable(client, tableName);
const table = createDynamoDbTable(client, tableName, () => new Date());
const now = new Date().toISOString();

/** Median milliseconds and read units per call, over SAMPLES calls after one not counted. */
async function measure(call: () => Promise<unknown>): Promise<{ ms: number; readUnits: number }> {
  await call();
  const times: number[] = [];
  units = 0;
  for (let sample = 0; sample < SAMPLES; sample++) {
    const started = performance.now();
    await call();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return {
    ms: Math.round((times[Math.floor(SAMPLES / 2)] ?? 0) * 10) / 10,
    readUnits: Math.round((units / SAMPLES) * 10) / 10,
  };
}

const rows: {
  products: number;
  seedSeconds: number;
  operation: string;
  ms: number;
  readUnits: number;
}[] = [];
let written = 0;
for (const size of sizes) {
  const started = performance.now();
  for (let next = written; next < size; next += 1000) {
    const batch = Array.from({ length: Math.min(1000, size - next) }, (_, i) => productAt(next + i, now));
    // The first batch goes into the empty table: its words are recorded as the whole index, so
    // no search meets a backfill of the catalog.
    await table.products.createMany(batch, { intoEmptyTable: next === 0 });
    if (next === 0) await table.products.findByText(RARE_WORD, 1);
  }
  written = Math.max(written, size);
  const seedSeconds = Math.round((performance.now() - started) / 100) / 10;
  const row = (operation: string, result: { ms: number; readUnits: number }) =>
    rows.push({ products: size, seedSeconds, operation, ...result });
  row('list 20 newest', await measure(() => table.products.list({ limit: 20 })));
  row('one product', await measure(() => table.products.get(productAt(size - 1, now).id)));
  row(
    `search "${RARE_WORD}" (${RARE_MATCHES} matches at every size)`,
    await measure(() => table.products.findByText(RARE_WORD, 20)),
  );
  row(
    'search "walnut lamp" (matches grow with the catalog), 20 shown',
    await measure(() => table.products.findByText('walnut lamp', 20)),
  );
}
client.destroy();
console.log(`BENCH ${JSON.stringify(rows)}`);
