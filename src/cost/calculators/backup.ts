import { z } from 'zod';
import { type Bill, BillBuilder } from '../bill.js';

const count = z.number().nonnegative();

export const BackupUsageSchema = z.strictObject({
  service: z.literal('backup'),
  dynamodbWarmGb: count.default(0),
  dynamodbColdGb: count.default(0),
  restoreGb: count.default(0),
});

// https://aws.amazon.com/backup/pricing/ : DynamoDB backups made by AWS Backup are billed per
// GB-month of backup storage, restores per GB.
export function priceBackup(usage: z.infer<typeof BackupUsageSchema>, region: string): Bill {
  const bill = new BillBuilder('backup', region);
  bill.charge('backup.dynamodbWarm', 'DynamoDB backup storage (warm)', usage.dynamodbWarmGb);
  if (usage.dynamodbColdGb > 0) bill.note('dynamodbColdGb: cold storage is not priced yet.');
  if (usage.restoreGb > 0) bill.charge('backup.restore', 'Restores', usage.restoreGb);
  return bill.build();
}

export const SecretsManagerUsageSchema = z.strictObject({
  service: z.literal('secretsmanager'),
  secrets: count.default(0),
  apiCalls: count.default(0),
});

// https://aws.amazon.com/secrets-manager/pricing/ : per secret-month and per 10,000 API calls.
export function priceSecretsManager(usage: z.infer<typeof SecretsManagerUsageSchema>, region: string): Bill {
  const bill = new BillBuilder('secretsmanager', region);
  bill.charge('secretsmanager.secrets', 'Secrets', usage.secrets);
  bill.charge('secretsmanager.api', 'API calls', usage.apiCalls);
  return bill.build();
}

export const KmsUsageSchema = z.strictObject({
  service: z.literal('kms'),
  keys: count.default(0),
  requests: count.default(0),
  freeTier: z.boolean().default(true),
});

// https://aws.amazon.com/kms/pricing/ : per customer managed key-month; 20,000 requests free a month.
export function priceKms(usage: z.infer<typeof KmsUsageSchema>, region: string): Bill {
  const bill = new BillBuilder('kms', region);
  bill.charge('kms.keys', 'Customer managed keys', usage.keys);
  bill.charge('kms.requests', 'Requests', usage.requests, usage.freeTier ? { free: 20_000 } : {});
  return bill.build();
}
