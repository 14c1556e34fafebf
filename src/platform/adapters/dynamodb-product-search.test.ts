import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { monotonicFactory } from 'ulid';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freshTable } from '../../../test/support/fixtures.js';
import type { ProductRecord } from '../../contracts/ports.js';
import { createDocumentClient, createDynamoDbClient } from './dynamodb-client.js';
import { createStorefrontService } from './dynamodb-entities.js';
import { searchWordsOf } from './dynamodb-product-search.js';
import { searchTextOf } from './dynamodb-products.js';
import { createDynamoDbTable, type DynamoDbTable } from './dynamodb-table-port.js';

/** Read capacity DynamoDB reports for the reads a search makes (Query and BatchGetItem). */
function meterReads(client: DynamoDBClient): { units: () => number; reset: () => void } {
  let units = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName;
      const reads = command === 'QueryCommand' || command === 'BatchGetItemCommand';
      if (reads) (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      if (reads) {
        const consumed = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
        for (const entry of [consumed].flat() as ({ CapacityUnits?: number } | undefined)[]) {
          units += entry?.CapacityUnits ?? 0;
        }
      }
      return result;
    },
    { step: 'initialize', name: 'meterReads' },
  );
  return { units: () => units, reset: () => (units = 0) };
}

const nextId = monotonicFactory();
let counter = 0;
function product(name: string, overrides: Partial<ProductRecord> = {}): ProductRecord {
  const now = new Date().toISOString();
  counter += 1;
  return {
    id: nextId(),
    name,
    description: `Item number ${counter} of the test catalog.`,
    category: 'misc',
    priceCents: 1000,
    currency: 'USD',
    stock: 5,
    imageUrl: 'https://example.test/image.png',
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

const client = createDynamoDbClient({ region: 'us-east-1', endpoint: inject('dynamodbEndpoint') });
const meter = meterReads(client);
let tableName: string;
let table: DynamoDbTable;

beforeAll(async () => {
  tableName = await freshTable('search');
  table = createDynamoDbTable(client, tableName, () => new Date());
});
afterAll(() => client.destroy());

async function addFiller(count: number): Promise<void> {
  for (let batch = 0; batch < count; batch += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, count - batch) }, () =>
        table.products.create(product('Plain cotton shirt', { category: 'shirts' })),
      ),
    );
  }
}

describe('the startup stage search on the table', () => {
  it('reads what the query needs: its read units do not grow with the rest of the catalog', async () => {
    for (const name of ['Alpine mittens', 'Wool mittens', 'Mittens for children']) {
      await table.products.create(product(name, { category: 'gloves' }));
    }
    await addFiller(40);
    await table.products.findByText('mittens', 20); // indexes once, if it must
    meter.reset();
    const small = await table.products.findByText('mittens', 20);
    const unitsSmall = meter.units();

    await addFiller(150);
    meter.reset();
    const large = await table.products.findByText('mittens', 20);
    const unitsLarge = meter.units();

    expect(small.map((p) => p.name).sort()).toEqual([
      'Alpine mittens',
      'Mittens for children',
      'Wool mittens',
    ]);
    expect(large).toEqual(small);
    expect(unitsSmall).toBeGreaterThan(0);
    // A scan of the catalog partition would read 300 more products (tens of units more).
    expect(unitsLarge).toBe(unitsSmall);
  });

  it('matches the start of words in name, description and category, every word of the query, newest first', async () => {
    const older = await createAndReturn(
      product('Trail runner shoe', { description: 'Grippy sole.', category: 'footwear' }),
    );
    const newer = await createAndReturn(
      product('Road runner SHOE', { description: 'Light and fast.', category: 'footwear' }),
    );
    await createAndReturn(product('Runner rug', { category: 'home', stock: 0 }));

    expect(await names('runn')).toEqual(['Runner rug', newer.name, older.name]);
    expect(await names('RUNNER shoe')).toEqual([newer.name, older.name]);
    expect(await names('grippy runner')).toEqual([older.name]);
    expect(await names('footw')).toEqual([newer.name, older.name]);
    expect(await names('unner')).toEqual([]); // the middle of a word is not a match
    expect(await names('runner', 1)).toEqual(['Runner rug']);
    expect(await names('runner', 20, { category: 'footwear' })).toEqual([newer.name, older.name]);
    expect(await names('runner rug', 20, { inStock: true })).toEqual([]);
    expect(await names('a')).toEqual([]); // one-character words are not searched
  });

  it('follows renames and deletes', async () => {
    const lamp = await createAndReturn(product('Brass desk lamp'));
    expect(await names('brass')).toEqual(['Brass desk lamp']);

    await table.products.update(lamp.id, { name: 'Copper desk lamp' });
    expect(await names('brass')).toEqual([]);
    expect(await names('copper lamp')).toEqual(['Copper desk lamp']);

    await table.products.delete(lamp.id);
    expect(await names('copper')).toEqual([]);
  });

  it('indexes products written before search words existed, once, on the first search', async () => {
    const name = await freshTable('search-backfill');
    const service = createStorefrontService(createDocumentClient(client), name);
    // Written the way versions before the word items wrote products: the item alone.
    const old = product('Vintage teapot', { category: 'kitchen' });
    await service.entities.product.create({ ...old, searchText: searchTextOf(old) }).go();
    const later = createDynamoDbTable(client, name, () => new Date());

    expect((await later.products.findByText('teapot', 5)).map((p) => p.id)).toEqual([old.id]);
    const state = await service.entities.searchIndexState.get({ name: 'product-search' }).go();
    expect(state.data?.version).toBe(1);
  });

  it('reads about what it shows for a common word, however many products carry it', async () => {
    const unitsFor = async (size: number) => {
      const seeded = createDynamoDbTable(client, await freshTable(`search-common-${size}`), () => new Date());
      const fillers = Array.from({ length: size }, (_, index) =>
        product(`Common filler ${index}`, { description: '', category: 'misc' }),
      );
      for (let next = 0; next < size; next += 500)
        await seeded.products.createMany(fillers.slice(next, next + 500), { intoEmptyTable: next === 0 });
      await seeded.products.findByText('common', 1);
      meter.reset();
      const found = await seeded.products.findByText('common filler', 5);
      expect(found.map((p) => p.name)).toEqual(
        fillers
          .slice(-5)
          .reverse()
          .map((p) => p.name),
      );
      return meter.units();
    };
    const small = await unitsFor(100);
    const large = await unitsFor(1_500);
    // Every word item of "common" and "filler" read at 1,500 products would be about 40 units.
    expect(large).toBeLessThanOrEqual(Math.max(small * 1.2, small + 1));
    expect(large).toBeLessThan(12);
  });

  it('writes a bulk seed of an empty table in batches, its words after it returns, and records them', async () => {
    const name = await freshTable('search-seed');
    const seeded = createDynamoDbTable(client, name, () => new Date());
    const batch = [
      ...Array.from({ length: 40 }, (_, index) => product(`Seeded lamp ${index}`, { category: 'lamps' })),
      product('Seeded walnut desk', { category: 'desks' }),
    ];
    await seeded.products.createMany(batch, { intoEmptyTable: true });
    expect(await seeded.products.get(batch[40]?.id as string)).toMatchObject({ name: 'Seeded walnut desk' });
    // A search on this instance waits for the words still being written.
    expect((await seeded.products.findByText('walnut', 5)).map((p) => p.id)).toEqual([batch[40]?.id]);
    expect(await seeded.products.findByText('seeded lamp', 50)).toHaveLength(40);
    // Recorded once written, so the next process's first search does not index the catalog again.
    const service = createStorefrontService(createDocumentClient(client), name);
    const state = await service.entities.searchIndexState.get({ name: 'product-search' }).go();
    expect(state.data?.version).toBe(1);
  });

  it('writes a bulk import into a table with products, words and all, before it returns', async () => {
    const imported = [product('Imported oak shelf'), product('Imported oak stool')];
    await table.products.createMany(imported);
    const service = createStorefrontService(createDocumentClient(client), tableName);
    const { data } = await service.entities.searchWord.query
      .byWord({ bucket: 'oa' })
      .begins({ word: 'oak' })
      .go();
    expect(data.map((item) => item.productId).sort()).toEqual(imported.map((p) => p.id).sort());
  });

  it('never returns a product through a stale word item', async () => {
    const vase = await createAndReturn(product('Glass vase'));
    const service = createStorefrontService(createDocumentClient(client), tableName);
    await service.entities.searchWord.put({ bucket: 'ce', word: 'ceramic', productId: vase.id }).go();
    expect(await names('ceramic')).toEqual([]);
  });
});

describe('the words a product is found by', () => {
  it('are lower-cased letters and digits, two characters or more, each once', () => {
    expect(searchWordsOf('Wool-blend MITTENS, size 2 (kids) — wool')).toEqual([
      'wool',
      'blend',
      'mittens',
      'size',
      'kids',
    ]);
    expect(searchWordsOf('Ｃａｆé crème 42')).toEqual(['café', 'crème', '42']);
  });
});

async function createAndReturn(record: ProductRecord): Promise<ProductRecord> {
  await table.products.create(record);
  return record;
}

async function names(query: string, limit = 20, filters?: { category?: string; inStock?: boolean }) {
  return (await table.products.findByText(query, limit, filters)).map((p) => p.name);
}
