import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  type AttributeValue,
  BatchWriteItemCommand,
  type DynamoDBClient,
  ScanCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { ConflictError, ValidationError } from '../../contracts/errors.js';

/**
 * A table backup is two files: FILE, gzip'd newline-delimited DynamoDB JSON in the format of
 * DynamoDB's export to S3 (`{"Item": {...}}` per line), and FILE.manifest.json, which says how
 * many items FILE holds and its SHA-256, so a restore can refuse a damaged file before writing.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport.Output.html
 */
export const BACKUP_FORMAT = 'growstack-table-backup/1';

export interface BackupManifest {
  readonly format: typeof BACKUP_FORMAT;
  readonly table: string;
  readonly createdAt: string;
  readonly itemCount: number;
  /** Hex SHA-256 of FILE's bytes as written (what `sha256sum FILE` prints). */
  readonly sha256: string;
  readonly exportFormat: 'DYNAMODB_JSON';
  readonly compression: 'GZIP';
  /** Where it was read from: an endpoint, `AWS <region>`, a local data folder. */
  readonly source?: string;
  /**
   * `snapshot`: nothing else could write while it was read (local data, DynamoDB Local started
   * for the backup). `live-scan`: a table in service, read page by page with consistent reads;
   * writes made during the scan may be in it or not. Absent in backups made before it was noted.
   */
  readonly consistency?: 'snapshot' | 'live-scan';
  readonly note?: string;
}

export interface BackupOptions {
  /** Where the table is, noted in the manifest. */
  readonly source?: string;
  /** Something may write while it is read: the manifest says so. */
  readonly live?: boolean;
  readonly progress?: (items: number) => void;
}

const LIVE_SCAN_NOTE =
  'Read from a table in service with consistent reads, page by page: not a point-in-time snapshot. Each item is as it was when its page was read; a change made during the scan may be in it or not. For a point-in-time copy, stop the instance first (locally) or use point-in-time recovery or AWS Backup (on AWS).';

/** Where the manifest of a backup file lives. */
export const manifestPathOf = (file: string) => `${file}.manifest.json`;

type Item = Record<string, AttributeValue>;
type ExportValue = Record<string, unknown>;

/** Binary values become base64 text, as in DynamoDB's own JSON export. */
function toExport(value: AttributeValue): ExportValue {
  if (value.B) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BS) return { BS: value.BS.map((bytes) => Buffer.from(bytes).toString('base64')) };
  if (value.M) return { M: mapValues(value.M, toExport) };
  if (value.L) return { L: value.L.map(toExport) };
  return value as unknown as ExportValue;
}

function fromExport(value: ExportValue): AttributeValue {
  if (typeof value.B === 'string') return { B: Buffer.from(value.B, 'base64') };
  if (Array.isArray(value.BS)) return { BS: value.BS.map((text: string) => Buffer.from(text, 'base64')) };
  if (value.M && typeof value.M === 'object')
    return { M: mapValues(value.M as Record<string, ExportValue>, fromExport) };
  if (Array.isArray(value.L)) return { L: value.L.map(fromExport) };
  return value as unknown as AttributeValue;
}

function mapValues<A, B>(record: Record<string, A>, map: (value: A) => B): Record<string, B> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}

/** Every item of the table, read with strongly consistent scans page by page. */
export async function* scanTable(client: DynamoDBClient, table: string): AsyncGenerator<Item> {
  let startKey: Item | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: startKey }),
    );
    for (const item of page.Items ?? []) yield item;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/** Writes FILE and FILE.manifest.json; returns the manifest. */
export async function backupTable(
  client: DynamoDBClient,
  table: string,
  file: string,
  options: BackupOptions = {},
): Promise<BackupManifest> {
  const progress = options.progress ?? (() => {});
  const lines: string[] = [];
  for await (const item of scanTable(client, table)) {
    lines.push(JSON.stringify({ Item: mapValues(item, toExport) }));
    if (lines.length % 1000 === 0) progress(lines.length);
  }
  const data = gzipSync(lines.map((line) => `${line}\n`).join(''));
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    table,
    createdAt: new Date().toISOString(),
    itemCount: lines.length,
    sha256: createHash('sha256').update(data).digest('hex'),
    exportFormat: 'DYNAMODB_JSON',
    compression: 'GZIP',
    ...(options.source ? { source: options.source } : {}),
    consistency: options.live ? 'live-scan' : 'snapshot',
    ...(options.live ? { note: LIVE_SCAN_NOTE } : {}),
  };
  await writeFile(file, data);
  await writeFile(manifestPathOf(file), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * Reads and checks a backup completely (manifest, checksum, gzip, every line, item count) and
 * returns its items; throws a ValidationError naming the first problem. Nothing is written.
 */
export async function readBackup(file: string): Promise<{ manifest: BackupManifest; items: Item[] }> {
  const refuse = (reason: string) => new ValidationError(`${file}: ${reason}; nothing was restored.`);
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(await readFile(manifestPathOf(file), 'utf8')) as BackupManifest;
  } catch {
    throw refuse(`its manifest ${manifestPathOf(file)} is missing or not JSON`);
  }
  if (manifest.format !== BACKUP_FORMAT) throw refuse(`the manifest is not a ${BACKUP_FORMAT} manifest`);
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch {
    throw refuse('the file cannot be read');
  }
  const sha256 = createHash('sha256').update(data).digest('hex');
  if (sha256 !== manifest.sha256)
    throw refuse(`its SHA-256 is ${sha256}, the manifest says ${manifest.sha256} (corrupt or truncated)`);
  let text: string;
  try {
    text = gunzipSync(data).toString('utf8');
  } catch {
    throw refuse('it is not valid gzip');
  }
  const lines = text.split('\n').filter((line) => line !== '');
  const items = lines.map((line, index) => {
    try {
      const parsed = JSON.parse(line) as { Item?: Record<string, ExportValue> };
      if (!parsed.Item || typeof parsed.Item !== 'object') throw new Error('no Item');
      return mapValues(parsed.Item, fromExport);
    } catch {
      throw refuse(`line ${index + 1} is not a {"Item": {...}} DynamoDB JSON line`);
    }
  });
  if (items.length !== manifest.itemCount)
    throw refuse(`it holds ${items.length} items, the manifest says ${manifest.itemCount}`);
  return { manifest, items };
}

/** DynamoDB takes at most 25 puts per BatchWriteItem. */
const BATCH = 25;

/**
 * Restores a verified backup into `table`. Refuses a table that holds any item unless `force`
 * (then items with the same key are replaced and others stay).
 */
export async function restoreTable(
  client: DynamoDBClient,
  table: string,
  file: string,
  options: { force?: boolean; progress?: (written: number, total: number) => void } = {},
): Promise<BackupManifest> {
  const { manifest, items } = await readBackup(file);
  if (!options.force) {
    const probe = await client.send(new ScanCommand({ TableName: table, Limit: 1, Select: 'COUNT' }));
    if ((probe.Count ?? 0) > 0 || probe.LastEvaluatedKey)
      throw new ConflictError(`table ${table} is not empty; restore into an empty table or pass --force.`);
  }
  for (let start = 0; start < items.length; start += BATCH) {
    let pending: WriteRequest[] = items.slice(start, start + BATCH).map((Item) => ({ PutRequest: { Item } }));
    // Unprocessed items are throttled writes: retry them with a growing pause.
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** attempt, 2000)));
      const result = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }));
      pending = result.UnprocessedItems?.[table] ?? [];
    }
    options.progress?.(Math.min(start + BATCH, items.length), items.length);
  }
  return manifest;
}
