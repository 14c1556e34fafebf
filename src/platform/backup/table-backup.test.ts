import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { type AttributeValue, BatchWriteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestStorefront, type TestStorefront } from '../../../test/support/storefront.js';
import { main } from '../../cli/main.js';
import { createDynamoDbClient } from '../adapters/dynamodb-client.js';
import { ensureTable } from '../adapters/dynamodb-table-setup.js';
import { manifestPathOf, scanTable } from './table-backup.js';

const client = createDynamoDbClient({ region: 'us-east-1', endpoint: inject('dynamodbEndpoint') });
const dir = mkdtempSync(join(tmpdir(), 'growstack-backup-'));
let shop: TestStorefront;
let file: string;

/** Runs the CLI against the run's DynamoDB Local. */
async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...argv, '--endpoint', inject('dynamodbEndpoint')], {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
  });
  return { code, out, err };
}

type Item = Record<string, AttributeValue>;
const keyOf = (item: Item) => `${item.pk?.S}\u0000${item.sk?.S}`;
async function contents(table: string): Promise<Item[]> {
  const items: Item[] = [];
  for await (const item of scanTable(client, table)) items.push(item);
  return items.sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
}

beforeAll(async () => {
  shop = await createTestStorefront();
  const product = await shop.product({ stock: 3 });
  const { token } = await shop.customer('Backed Up');
  await shop.call('POST', '/api/orders', {
    token,
    headers: { 'idempotency-key': 'k1' },
    body: { items: [{ productId: product.id, quantity: 1 }] },
  });
  // Every attribute type the export format knows, binary included.
  await client.send(
    new PutItemCommand({
      TableName: shop.tableName,
      Item: {
        pk: { S: 'test#types' },
        sk: { S: 'all' },
        n: { N: '12.50' },
        b: { B: Uint8Array.from([0, 1, 254, 255]) },
        bs: { BS: [Uint8Array.from([1]), Uint8Array.from([2, 3])] },
        ss: { SS: ['a', 'b'] },
        ns: { NS: ['1', '2'] },
        yes: { BOOL: true },
        nothing: { NULL: true },
        nested: {
          M: { list: { L: [{ S: 'x' }, { N: '1' }, { M: { deep: { B: Uint8Array.from([9]) } } }] } },
        },
      },
    }),
  );
  file = join(dir, 'table.json.gz');
});

afterAll(() => client.destroy());

describe('growstack backup and restore', () => {
  it('backs up, and restores a wiped table item for item', async () => {
    const before = await contents(shop.tableName);
    expect(before.length).toBeGreaterThan(5);

    const backup = await cli('backup', '--out', file, '--table', shop.tableName, '--json');
    expect(backup).toMatchObject({ code: 0, err: [] });
    expect(JSON.parse(backup.out[0] ?? '{}')).toMatchObject({ itemCount: before.length });
    const lines = gunzipSync(readFileSync(file)).toString('utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(before.length);
    for (const line of lines) expect(Object.keys(JSON.parse(line))).toEqual(['Item']);

    for (let start = 0; start < before.length; start += 25) {
      const keys = before.slice(start, start + 25).map((item) => ({ pk: item.pk, sk: item.sk }) as Item);
      await client.send(
        new BatchWriteItemCommand({
          RequestItems: { [shop.tableName]: keys.map((Key) => ({ DeleteRequest: { Key } })) },
        }),
      );
    }
    expect(await contents(shop.tableName)).toEqual([]);

    const restore = await cli('restore', '--in', file, '--table', shop.tableName);
    expect(restore).toMatchObject({ code: 0, err: [] });
    expect(await contents(shop.tableName)).toEqual(before);
  });

  it('refuses a table that holds items unless forced', async () => {
    const refused = await cli('restore', '--in', file, '--table', shop.tableName);
    expect(refused.code).toBe(1);
    expect(refused.err[0]).toMatch(/is not empty; .*--force/);
    const forced = await cli('restore', '--in', file, '--table', shop.tableName, '--force');
    expect(forced.code).toBe(0);
  });

  it.each([
    [
      'corrupt',
      (data: Buffer) =>
        Buffer.concat([data.subarray(0, 40), Buffer.from([(data[40] ?? 0) ^ 0xff]), data.subarray(41)]),
      /SHA-256/,
    ],
    ['truncated', (data: Buffer) => data.subarray(0, Math.floor(data.length / 2)), /SHA-256/],
  ])('refuses a %s file and writes nothing', async (_kind, damage, message) => {
    const damaged = join(dir, `${randomUUID()}.json.gz`);
    writeFileSync(damaged, damage(readFileSync(file)));
    copyFileSync(manifestPathOf(file), manifestPathOf(damaged));
    const table = `restore-${randomUUID()}`;
    await ensureTable(client, table);
    const result = await cli('restore', '--in', damaged, '--table', table);
    expect(result.code).toBe(1);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toMatch(message);
    expect(result.err[0]).toMatch(/nothing was restored/);
    expect(await contents(table)).toEqual([]);
  });

  it('refuses a file whose manifest is missing', async () => {
    const lonely = join(dir, 'lonely.json.gz');
    copyFileSync(file, lonely);
    const result = await cli('restore', '--in', lonely, '--table', `restore-${randomUUID()}`);
    expect(result.code).toBe(1);
    expect(result.err[0]).toMatch(/manifest .* is missing/);
  });

  it('refuses a file whose item count disagrees with the manifest, even with a matching checksum', async () => {
    const short = join(dir, 'short.json.gz');
    copyFileSync(file, short);
    const manifest = JSON.parse(readFileSync(manifestPathOf(file), 'utf8'));
    writeFileSync(manifestPathOf(short), JSON.stringify({ ...manifest, itemCount: manifest.itemCount + 1 }));
    const table = `restore-${randomUUID()}`;
    const result = await cli('restore', '--in', short, '--table', table);
    expect(result.err[0]).toMatch(/holds \d+ items, the manifest says \d+/);
    expect(result.code).toBe(1);
  });

  it('restores into a fresh empty table identically', async () => {
    const table = `restore-${randomUUID()}`;
    expect((await cli('restore', '--in', file, '--table', table)).code).toBe(0);
    expect(await contents(table)).toEqual(await contents(shop.tableName));
  });
});
