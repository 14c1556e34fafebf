import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { type Bill, BillBuilder } from '../bill.js';

const count = z.number().nonnegative();
const HOURS = 730;
const kbToGb = (kb: Decimal.Value) => new Decimal(kb).div(1024 * 1024);

export const KinesisUsageSchema = z.strictObject({
  service: z.literal('kinesis'),
  mode: z.enum(['on-demand', 'provisioned']).default('on-demand'),
  shards: count.default(1),
  hours: count.default(HOURS),
  records: count.default(0),
  recordKb: count.default(1),
  dataInGb: count.optional().describe('records x recordKb when omitted'),
  dataOutGb: count.default(0),
  streams: count.default(1),
});

// https://aws.amazon.com/kinesis/data-streams/pricing/ : provisioned streams bill shard hours and
// PUT payload units of 25 KB (each record rounds up); on-demand streams bill stream hours and GB
// written and read.
export function priceKinesis(usage: z.infer<typeof KinesisUsageSchema>, region: string): Bill {
  const bill = new BillBuilder('kinesis', region);
  if (usage.mode === 'provisioned') {
    bill.charge('kinesis.shardHours', 'Shard hours', new Decimal(usage.shards).times(usage.hours));
    const units = new Decimal(usage.records).times(Math.max(1, Math.ceil(usage.recordKb / 25)));
    bill.charge('kinesis.putUnits', 'PUT payload units', units);
  } else {
    const dataIn = usage.dataInGb ?? kbToGb(new Decimal(usage.records).times(usage.recordKb)).toNumber();
    bill.charge('kinesis.onDemandStreamHours', 'Stream hours', new Decimal(usage.streams).times(usage.hours));
    bill.charge('kinesis.onDemandIn', 'Data in', dataIn);
    if (usage.dataOutGb > 0) bill.charge('kinesis.onDemandOut', 'Data out', usage.dataOutGb);
  }
  return bill.build();
}

export const FirehoseUsageSchema = z.strictObject({
  service: z.literal('firehose'),
  records: count,
  recordKb: count.default(1),
  formatConversion: z.boolean().default(false),
  dynamicPartitioning: z.boolean().default(false),
  vpcDeliveryAzs: count.default(0).describe("AZs the streams' delivery ENIs sit in, summed"),
  vpcDeliveryHours: count.default(HOURS),
  vpcDeliveryGb: count.optional().describe('records x recordKb when omitted'),
});

// https://aws.amazon.com/firehose/pricing/ : Direct PUT ingestion per GB, each record rounded up to
// the next 5 KB; format conversion per GB converted; delivery into a VPC (an OpenSearch domain in
// private subnets) per hour for each AZ the stream delivers in, and per GB delivered there.
export function priceFirehose(usage: z.infer<typeof FirehoseUsageSchema>, region: string): Bill {
  const bill = new BillBuilder('firehose', region);
  const billedKb = new Decimal(usage.records).times(Math.max(1, Math.ceil(usage.recordKb / 5)) * 5);
  bill.charge('firehose.ingested', 'Data ingested (5 KB increments)', kbToGb(billedKb));
  if (usage.vpcDeliveryAzs > 0) {
    bill.charge(
      'firehose.vpcHours',
      'Delivery into a VPC (AZ-hours)',
      new Decimal(usage.vpcDeliveryAzs).times(usage.vpcDeliveryHours),
    );
    bill.charge(
      'firehose.vpcData',
      'Data delivered into a VPC',
      usage.vpcDeliveryGb ?? kbToGb(new Decimal(usage.records).times(usage.recordKb)),
    );
  }
  if (usage.formatConversion)
    bill.charge(
      'firehose.formatConversion',
      'Format conversion',
      kbToGb(new Decimal(usage.records).times(usage.recordKb)),
    );
  if (usage.dynamicPartitioning)
    bill.note('dynamicPartitioning: its per-GB and per-object fees are not priced yet.');
  return bill.build();
}

export const RedshiftUsageSchema = z.strictObject({
  service: z.literal('redshift'),
  rpuHours: count,
  baseRpu: count.default(8),
  storageGb: count.default(0),
});

// https://aws.amazon.com/redshift/pricing/ : Serverless compute per RPU-hour, billed per second
// with a 60-second minimum per query; managed storage per GB-month.
export function priceRedshift(usage: z.infer<typeof RedshiftUsageSchema>, region: string): Bill {
  const bill = new BillBuilder('redshift', region);
  bill.note(
    `Compute is billed per second with a 60-second minimum; ${usage.baseRpu} base RPUs is the smallest capacity a query runs on.`,
  );
  bill.charge('redshift.rpuHours', 'Compute', usage.rpuHours);
  bill.charge('redshift.storage', 'Managed storage', usage.storageGb);
  return bill.build();
}

export const AthenaUsageSchema = z.strictObject({
  service: z.literal('athena'),
  queries: count,
  gbScannedPerQuery: count.default(0).describe('at least 10 MB is billed'),
});

/** Athena bills at least 10 MB a query. */
const ATHENA_MIN_GB = 10 / 1024;

// https://aws.amazon.com/athena/pricing/ : per TB scanned, 10 MB minimum per query.
export function priceAthena(usage: z.infer<typeof AthenaUsageSchema>, region: string): Bill {
  const bill = new BillBuilder('athena', region);
  const perQuery = Decimal.max(usage.gbScannedPerQuery, ATHENA_MIN_GB);
  bill.note('Each query is billed for at least 10 MB scanned.');
  bill.charge('athena.tbScanned', 'Data scanned', perQuery.times(usage.queries).div(1024));
  return bill.build();
}
