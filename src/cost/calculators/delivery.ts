import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { type Bill, BillBuilder } from '../bill.js';

const count = z.number().nonnegative();

export const S3UsageSchema = z.strictObject({
  service: z.literal('s3'),
  storageGb: count.default(0),
  putRequests: count.default(0),
  getRequests: count.default(0),
  dataTransferOutGb: count.default(0),
  storageClass: z.enum(['standard']).default('standard'),
  freeTier: z.boolean().default(true),
});

// https://aws.amazon.com/s3/pricing/ : Standard storage tiered by volume; requests per 1,000; the
// 12-month free tier is 5 GB, 2,000 PUTs and 20,000 GETs. Transfer to CloudFront is free.
export function priceS3(usage: z.infer<typeof S3UsageSchema>, region: string): Bill {
  const bill = new BillBuilder('s3', region);
  const free = usage.freeTier;
  bill.charge('s3.storage', 'Standard storage', usage.storageGb, free ? { free: 5 } : {});
  bill.charge('s3.put', 'PUT, COPY, POST, LIST requests', usage.putRequests, free ? { free: 2_000 } : {});
  bill.charge('s3.get', 'GET requests', usage.getRequests, free ? { free: 20_000 } : {});
  if (usage.dataTransferOutGb > 0)
    bill.charge(
      'datatransfer.internet',
      'Data transfer out to the internet',
      usage.dataTransferOutGb,
      free ? { free: 100 } : {},
    );
  return bill.build();
}

export const CloudFrontUsageSchema = z.strictObject({
  service: z.literal('cloudfront'),
  requests: count.default(0),
  dataTransferOutGb: count.default(0),
  functionInvocations: count.default(0),
  lambdaEdgeRequests: count.default(0),
  lambdaEdgeDurationMs: count.default(0),
  lambdaEdgeMemoryMb: z.number().int().min(128).max(10240).default(128),
  originShieldRequests: count.default(0),
  freeTier: z.boolean().default(true),
});

// https://aws.amazon.com/cloudfront/pricing/ : always free each month 1 TB out, 10M HTTP(S)
// requests and 2M CloudFront Functions invocations; Lambda@Edge has no free tier and bills
// GB-seconds from memory (MB / 1024) x duration.
export function priceCloudFront(usage: z.infer<typeof CloudFrontUsageSchema>, region: string): Bill {
  const bill = new BillBuilder('cloudfront', region);
  const free = usage.freeTier;
  bill.note('Priced at the US/Mexico/Canada and Europe edge rates (the two are the same).');
  bill.charge('cloudfront.dataOut', 'Data transfer out', usage.dataTransferOutGb, free ? { free: 1024 } : {});
  bill.charge('cloudfront.requests', 'HTTPS requests', usage.requests, free ? { free: 10_000_000 } : {});
  if (usage.functionInvocations > 0)
    bill.charge(
      'cloudfront.functions',
      'CloudFront Functions',
      usage.functionInvocations,
      free ? { free: 2_000_000 } : {},
    );
  if (usage.lambdaEdgeRequests > 0) {
    bill.charge('cloudfront.lambdaEdgeRequests', 'Lambda@Edge requests', usage.lambdaEdgeRequests);
    const gbSeconds = new Decimal(usage.lambdaEdgeRequests)
      .times(Math.ceil(usage.lambdaEdgeDurationMs))
      .div(1000)
      .times(new Decimal(usage.lambdaEdgeMemoryMb).div(1024));
    bill.charge('cloudfront.lambdaEdgeDuration', 'Lambda@Edge duration', gbSeconds);
  }
  if (usage.originShieldRequests > 0) bill.note('originShieldRequests: Origin Shield is not priced yet.');
  return bill.build();
}

export const DataTransferUsageSchema = z.strictObject({
  service: z.literal('datatransfer'),
  internetOutGb: count.default(0),
  interRegionGb: count.default(0),
  sameRegionCrossAzGb: count.default(0),
  freeTier: z.boolean().default(true).describe('100 GB out'),
});

// https://aws.amazon.com/ec2/pricing/on-demand/ (data transfer): 100 GB a month out to the internet
// free across services, then tiered; between regions and between zones per GB.
export function priceDataTransfer(usage: z.infer<typeof DataTransferUsageSchema>, region: string): Bill {
  const bill = new BillBuilder('datatransfer', region);
  bill.charge(
    'datatransfer.internet',
    'Out to the internet',
    usage.internetOutGb,
    usage.freeTier ? { free: 100 } : {},
  );
  if (usage.interRegionGb > 0)
    bill.charge('datatransfer.interRegion', 'Between regions', usage.interRegionGb);
  if (usage.sameRegionCrossAzGb > 0)
    bill.charge(
      'datatransfer.crossAz',
      'Between availability zones (both directions)',
      new Decimal(usage.sameRegionCrossAzGb).times(2),
    );
  return bill.build();
}
