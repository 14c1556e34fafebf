import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { ConfigError } from '../../contracts/errors.js';
import { type Bill, BillBuilder } from '../bill.js';
import { findPrice, priceCatalog } from '../prices.js';

const count = z.number().nonnegative();
const HOURS = 730;

/** An instance type must have a price in the catalog: an unknown one names the known ones. */
function knownType(prefix: string, type: string, field: string, region: string): void {
  if (findPrice(`${prefix}${type}`, region) || findPrice(`${prefix}${type}`, 'us-east-1')) return;
  const known = [
    ...new Set(
      priceCatalog()
        .filter((price) => price.key.startsWith(prefix))
        .map((price) => price.key.slice(prefix.length)),
    ),
  ];
  throw new ConfigError(`${field}: unknown type '${type}' (known: ${known.join(', ')})`);
}

export const ElastiCacheUsageSchema = z.strictObject({
  service: z.literal('elasticache'),
  mode: z.enum(['nodes', 'serverless']).default('nodes'),
  engine: z.enum(['valkey', 'redis']).default('valkey'),
  nodeType: z.string().default('cache.t4g.small'),
  nodes: count.default(1),
  hours: count.default(HOURS),
  dataStoredGb: count.default(0),
  ecpuMillions: count.default(0),
});

// https://aws.amazon.com/elasticache/pricing/ : nodes per node-hour (Valkey 20% below Redis OSS);
// serverless per GB-hour stored (minimum 100 MB Valkey, 1 GB Redis OSS) and per million ECPUs.
export function priceElastiCache(usage: z.infer<typeof ElastiCacheUsageSchema>, region: string): Bill {
  const bill = new BillBuilder('elasticache', region);
  if (usage.mode === 'nodes') {
    knownType(`elasticache.${usage.engine}.`, usage.nodeType, 'nodeType', region);
    bill.charge(
      `elasticache.${usage.engine}.${usage.nodeType}`,
      `${usage.nodeType} nodes (${usage.engine})`,
      new Decimal(usage.nodes).times(usage.hours),
    );
  } else {
    const minimum = usage.engine === 'valkey' ? 0.1 : 1;
    const stored = Math.max(usage.dataStoredGb, minimum);
    if (stored > usage.dataStoredGb)
      bill.note(`Serverless ${usage.engine} bills at least ${minimum} GB stored.`);
    bill.charge(
      `elasticache.serverless.${usage.engine}.storage`,
      'Data stored',
      new Decimal(stored).times(usage.hours),
    );
    bill.charge(
      `elasticache.serverless.${usage.engine}.ecpu`,
      'ECPUs',
      new Decimal(usage.ecpuMillions).times(1_000_000),
    );
  }
  return bill.build();
}

export const EksUsageSchema = z.strictObject({
  service: z.literal('eks'),
  clusters: count.default(1),
  hours: count.default(HOURS),
  supportTier: z.enum(['standard', 'extended']).default('standard'),
});

// https://aws.amazon.com/eks/pricing/ : per cluster hour; extended support costs six times more.
export function priceEks(usage: z.infer<typeof EksUsageSchema>, region: string): Bill {
  const bill = new BillBuilder('eks', region);
  bill.note('Worker capacity is billed separately (Fargate pods or EC2 nodes).');
  bill.charge(
    `eks.${usage.supportTier}`,
    `Cluster hours (${usage.supportTier} support)`,
    new Decimal(usage.clusters).times(usage.hours),
  );
  return bill.build();
}

export const CognitoUsageSchema = z.strictObject({
  service: z.literal('cognito'),
  mau: count,
  tier: z.enum(['lite', 'essentials', 'plus']).default('essentials'),
  freeTier: z.boolean().default(true).describe('10,000 MAUs on lite and essentials'),
});

// https://aws.amazon.com/cognito/pricing/ : per monthly active user; Lite and Essentials include
// 10,000 MAUs free each month, Plus has no free tier.
export function priceCognito(usage: z.infer<typeof CognitoUsageSchema>, region: string): Bill {
  const bill = new BillBuilder('cognito', region);
  const free = usage.freeTier && usage.tier !== 'plus' ? { free: 10_000 } : {};
  bill.charge(`cognito.${usage.tier}`, `Monthly active users (${usage.tier})`, usage.mau, free);
  return bill.build();
}

export const OpenSearchUsageSchema = z.strictObject({
  service: z.literal('opensearch'),
  instanceType: z.string().default('r7g.large.search'),
  instances: count.default(1).describe('0 prices storage alone'),
  hours: count.default(HOURS),
  storageGb: count.default(0),
  dedicatedMasterType: z.string().optional(),
  dedicatedMasters: count.default(0),
  logStorageGb: count.default(0).describe('log indices with replicas, priced as gp3 storage'),
});

// https://aws.amazon.com/opensearch-service/pricing/ : per instance hour, and gp3 storage per GB-month.
export function priceOpenSearch(usage: z.infer<typeof OpenSearchUsageSchema>, region: string): Bill {
  const bill = new BillBuilder('opensearch', region);
  // instances: 0 prices storage alone (log indices on a domain priced elsewhere).
  if (usage.instances > 0) {
    knownType('opensearch.', usage.instanceType, 'instanceType', region);
    bill.charge(
      `opensearch.${usage.instanceType}`,
      `${usage.instanceType} instances`,
      new Decimal(usage.instances).times(usage.hours),
    );
  }
  if (usage.dedicatedMasters > 0) {
    const type = usage.dedicatedMasterType ?? usage.instanceType;
    knownType('opensearch.', type, 'dedicatedMasterType', region);
    bill.charge(
      `opensearch.${type}`,
      `${type} dedicated masters`,
      new Decimal(usage.dedicatedMasters).times(usage.hours),
    );
  }
  if (usage.instances > 0 || usage.storageGb > 0)
    bill.charge('opensearch.gp3', 'gp3 storage', usage.storageGb);
  if (usage.logStorageGb > 0) {
    bill.note('Log indices are priced as gp3 storage on top of what the domain is sized for.');
    bill.charge('opensearch.gp3', 'gp3 storage for log indices', usage.logStorageGb);
  }
  return bill.build();
}
