import { z } from 'zod';
import { type Bill, BillBuilder } from '../bill.js';

const count = z.number().nonnegative();

export const DynamoDbUsageSchema = z.strictObject({
  service: z.literal('dynamodb'),
  readRequestUnits: count.default(0),
  writeRequestUnits: count.default(0),
  storageGb: count.default(0),
  tableClass: z.enum(['standard', 'standard-ia']).default('standard'),
  pitr: z.boolean().default(false),
  backupGb: count.default(0),
  restoreGb: count.default(0),
  replicatedWriteUnits: count.default(0),
  streamReadRequests: count.default(0),
  freeTier: z.boolean().default(true),
});

// https://aws.amazon.com/dynamodb/pricing/on-demand/ : on-demand reads and writes per million
// request units; 25 GB of Standard storage and 2.5M Streams read requests free each month; PITR
// is billed on the table's size; replicated writes of global tables are billed like writes.
export function priceDynamoDb(usage: z.infer<typeof DynamoDbUsageSchema>, region: string): Bill {
  const bill = new BillBuilder('dynamodb', region);
  const free = usage.freeTier;
  if (usage.tableClass === 'standard-ia')
    bill.note(
      'tableClass standard-ia: priced at Standard rates, which this catalog holds (IA is cheaper storage, dearer requests).',
    );
  bill.charge('dynamodb.reads', 'On-demand reads', usage.readRequestUnits);
  bill.charge('dynamodb.writes', 'On-demand writes', usage.writeRequestUnits);
  if (usage.replicatedWriteUnits > 0)
    bill.charge('dynamodb.replicatedWrites', 'Replicated writes (global tables)', usage.replicatedWriteUnits);
  bill.charge('dynamodb.storage', 'Storage', usage.storageGb, free ? { free: 25 } : {});
  if (usage.pitr) bill.charge('dynamodb.pitr', 'Point-in-time recovery', usage.storageGb);
  if (usage.backupGb > 0) bill.charge('dynamodb.backup', 'On-demand backups', usage.backupGb);
  if (usage.restoreGb > 0) bill.charge('dynamodb.restore', 'Restores', usage.restoreGb);
  if (usage.streamReadRequests > 0)
    bill.charge(
      'dynamodb.streamReads',
      'Streams read requests',
      usage.streamReadRequests,
      free ? { free: 2_500_000 } : {},
    );
  return bill.build();
}
