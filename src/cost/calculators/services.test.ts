import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../contracts/errors.js';
import { priceUsage } from '../price.js';

/** Each line's USD by item: the hand-worked figure of every case is in its comment. */
const lines = (usage: object, region = 'us-east-1') =>
  Object.fromEntries(priceUsage(usage, region).lines.map((line) => [line.item, line.usd]));
const total = (usage: object) => priceUsage(usage, 'us-east-1').totalUsd;

describe('data and messaging', () => {
  it('DynamoDB: on-demand units, 25 GB free, PITR on the whole table', () => {
    // 10M RRU x $0.125/M = $1.25; 5M WRU x $0.625/M = $3.125 → $3.13; (30 − 25) GB x $0.25 = $1.25;
    // PITR 30 GB x $0.20 = $6.00.
    expect(
      lines({
        service: 'dynamodb',
        readRequestUnits: 10e6,
        writeRequestUnits: 5e6,
        storageGb: 30,
        pitr: true,
      }),
    ).toEqual({
      'On-demand reads': 1.25,
      'On-demand writes': 3.13,
      Storage: 1.25,
      'Point-in-time recovery': 6,
    });
  });

  it('SQS: 64 KB chunks and the free million', () => {
    // 5M requests of 100 KB = 10M metered; minus 1M free = 9M x $0.40/M = $3.60.
    expect(total({ service: 'sqs', requests: 5e6, messageKb: 100 })).toBe(3.6);
  });

  it('SES: 3,000 free messages in the first year', () => {
    // (10,000 − 3,000) x $0.10/1,000 = $0.70; without the free tier $1.00.
    expect(total({ service: 'ses', emails: 10_000 })).toBe(0.7);
    expect(total({ service: 'ses', emails: 10_000, freeTier: false })).toBe(1);
  });

  it('S3: storage and requests', () => {
    // 100 GB x $0.023 = $2.30; 10,000 PUT x $0.005/1,000 = $0.05; 100,000 GET x $0.0004/1,000 = $0.04.
    expect(
      total({ service: 's3', storageGb: 100, putRequests: 10_000, getRequests: 100_000, freeTier: false }),
    ).toBe(2.39);
  });

  it('CloudFront: the always-free TB and 10M requests, Lambda@Edge GB-seconds from MB x ms', () => {
    // (2,048 − 1,024) GB x $0.085 = $87.04; (20M − 10M) / 10,000 x $0.01 = $10.00;
    // Lambda@Edge 10M x $0.60/M = $6.00 and 10M x 0.005 s x 0.125 GB = 6,250 GB-s x $0.00005001 = $0.31.
    expect(
      lines({
        service: 'cloudfront',
        requests: 20e6,
        dataTransferOutGb: 2048,
        lambdaEdgeRequests: 10e6,
        lambdaEdgeDurationMs: 5,
      }),
    ).toEqual({
      'Data transfer out (tier 1)': 87.04,
      'HTTPS requests': 10,
      'Lambda@Edge requests': 6,
      'Lambda@Edge duration': 0.31,
    });
  });

  it('CloudWatch: 5 GB of logs, 10 alarm metrics and 3 dashboards free', () => {
    // (20 − 5) GB x $0.50 = $7.50; (12 − 10) alarms x $0.10 = $0.20; (4 − 3) dashboards x $3 = $3.00.
    const bill = lines({ service: 'cloudwatch', logsIngestedGb: 20, alarms: 12, dashboards: 4 });
    expect(bill).toMatchObject({ 'Logs ingested': 7.5, 'Alarm metrics': 0.2, Dashboards: 3 });
  });
});

describe('network, protection and managed services', () => {
  it('NAT gateway and load balancer hours, data and LCUs', () => {
    // 2 x 730 h x $0.045 = $65.70; 100 GB x $0.045 = $4.50.
    expect(total({ service: 'natgateway', gateways: 2, dataProcessedGb: 100 })).toBe(70.2);
    // 730 h x $0.0225 = $16.425 → $16.43; 730 x 2 LCU-h x $0.008 = $11.68.
    expect(lines({ service: 'alb', lcus: 2 })).toEqual({ 'Load balancer hours': 16.43, 'LCU-hours': 11.68 });
  });

  it('WAF, Shield Advanced, Route 53 and EKS', () => {
    // $5 ACL + 5 rules x $1 + 10M x $0.60/M = $16.
    expect(total({ service: 'waf', rules: 5, requests: 10e6 })).toBe(16);
    expect(total({ service: 'shield' })).toBe(3000);
    // One zone $0.50 + two health checks x $0.50.
    expect(total({ service: 'route53', hostedZones: 1, healthChecks: 2 })).toBe(1.5);
    // 730 h x $0.10 = $73; extended support x $0.60 = $438.
    expect(total({ service: 'eks' })).toBe(73);
    expect(total({ service: 'eks', supportTier: 'extended' })).toBe(438);
  });

  it('Cognito: 10,000 MAUs free on Essentials, none on Plus', () => {
    // (50,000 − 10,000) x $0.015 = $600; Plus 50,000 x $0.02 = $1,000.
    expect(total({ service: 'cognito', mau: 50_000 })).toBe(600);
    expect(total({ service: 'cognito', mau: 50_000, tier: 'plus' })).toBe(1000);
  });

  it('ElastiCache: serverless minimum storage, and unknown node types named', () => {
    // Valkey bills at least 0.1 GB: 0.1 x 730 GB-h x $0.084 = $6.132 → $6.13; 100M ECPUs x $0.0023/M = $0.23.
    expect(
      lines({ service: 'elasticache', mode: 'serverless', dataStoredGb: 0.05, ecpuMillions: 100 }),
    ).toEqual({ 'Data stored': 6.13, ECPUs: 0.23 });
    expect(() => priceUsage({ service: 'elasticache', nodeType: 'cache.x9.huge' }, 'us-east-1')).toThrow(
      /nodeType: unknown type 'cache.x9.huge' \(known: .*cache.t4g.small/,
    );
  });

  it('Kinesis, Firehose and Redshift Serverless metering units', () => {
    // 2 shards x 730 h x $0.015 = $21.90; 1M records of 30 KB = 2 PUT units each: 2M x $0.014/M = $0.03.
    expect(lines({ service: 'kinesis', mode: 'provisioned', shards: 2, records: 1e6, recordKb: 30 })).toEqual(
      { 'Shard hours': 21.9, 'PUT payload units': 0.03 },
    );
    // 1M records of 3 KB bill as 5 KB: 5M KB = 4.768 GB x $0.029 = $0.14.
    expect(total({ service: 'firehose', records: 1e6, recordKb: 3 })).toBe(0.14);
    // 100 RPU-hours x $0.375 = $37.50.
    expect(total({ service: 'redshift', rpuHours: 100 })).toBe(37.5);
    // 100 queries x 100 GB = 9.765625 TB x $5 = $48.83.
    expect(total({ service: 'athena', queries: 100, gbScannedPerQuery: 100 })).toBe(48.83);
    // 1,000 queries of 1 MB each bill the 10 MB minimum: 10,000 MB = 0.0095 TB x $5 = $0.05.
    expect(total({ service: 'athena', queries: 1000, gbScannedPerQuery: 1 / 1024 })).toBe(0.05);
  });

  it('Firehose into a VPC: hours per AZ and GB delivered, on top of 5 KB ingestion', () => {
    // 2M records of 1.5 KB bill as 5 KB: 10M KB = 9.5367 GB x $0.029 = $0.2766 → $0.28;
    // 6 AZs x 730 h = 4,380 AZ-hours x $0.01 = $43.80; delivered 2M x 1.5 KB = 2.861 GB x $0.01 → $0.03.
    expect(lines({ service: 'firehose', records: 2e6, recordKb: 1.5, vpcDeliveryAzs: 6 })).toEqual({
      'Data ingested (5 KB increments)': 0.28,
      'Delivery into a VPC (AZ-hours)': 43.8,
      'Data delivered into a VPC': 0.03,
    });
    // The delivered GB can be given: 250 GB x $0.01 = $2.50. No VPC, no VPC lines.
    expect(
      lines({ service: 'firehose', records: 2e6, recordKb: 1.5, vpcDeliveryAzs: 6, vpcDeliveryGb: 250 }),
    ).toMatchObject({ 'Data delivered into a VPC': 2.5 });
    expect(Object.keys(lines({ service: 'firehose', records: 2e6 }))).toEqual([
      'Data ingested (5 KB increments)',
    ]);
  });

  it('OpenSearch log indices as gp3 storage, alone when instances is 0', () => {
    // 250 GB x $0.122 = $30.50, and no instance or domain storage line.
    expect(lines({ service: 'opensearch', instances: 0, logStorageGb: 250 })).toEqual({
      'gp3 storage for log indices': 30.5,
    });
  });
});

describe('compliance recording', () => {
  it('AWS Config: configuration items, and rule evaluations across all three tiers', () => {
    // 1,200 items x $0.003 = $3.60; evaluations 100,000 x $0.001 = $100.00, 400,000 x $0.0008 =
    // $320.00, and the 150,000 over 500,000 x $0.0005 = $75.00: $498.60.
    const usage = { service: 'config', configurationItems: 1200, ruleEvaluations: 650_000 };
    expect(lines(usage)).toEqual({
      'Configuration items recorded': 3.6,
      'Rule evaluations (tier 1)': 100,
      'Rule evaluations (tier 2)': 320,
      'Rule evaluations (tier 3)': 75,
    });
    expect(total(usage)).toBe(498.6);
    // No free tier: 40 items x $0.003 = $0.12; 5,000 evaluations x $0.001 = $5.00.
    expect(total({ service: 'config', configurationItems: 40, ruleEvaluations: 5000 })).toBe(5.12);
  });
});

describe('bad input and regions', () => {
  it('names an unknown field and a negative quantity', () => {
    expect(() => priceUsage({ service: 'dynamodb', reads: 5 }, 'us-east-1')).toThrow(ConfigError);
    expect(() => priceUsage({ service: 'dynamodb', reads: 5 }, 'us-east-1')).toThrow(/^reads: unknown field/);
    expect(() => priceUsage({ service: 'sqs', requests: -1 }, 'us-east-1')).toThrow(/^requests: /);
    expect(() => priceUsage({ service: 'ses' }, 'us-east-1')).toThrow(/^emails: /);
  });

  it('reports a line missing where the region has no price, never borrowing another region’s', () => {
    // The price list has no ap-southeast-1 figure for DynamoDB's on-demand reads.
    const bill = priceUsage({ service: 'dynamodb', readRequestUnits: 10e6 }, 'ap-southeast-1');
    expect(bill.lines.find((line) => line.key === 'dynamodb.reads')).toBeUndefined();
    expect(bill.missing).toEqual([
      expect.objectContaining({
        missing: true,
        region: 'ap-southeast-1',
        dimension: 'dynamodb.reads',
        quantity: 10e6,
      }),
    ]);
    expect(bill.notes.join('\n')).toMatch(
      /On-demand reads: not priced, the price list has no ap-southeast-1 figure/,
    );
    expect(bill.complete).toBe(false);
    expect(bill.unpriced).toEqual([
      expect.objectContaining({ item: 'On-demand reads', quantity: 10e6, region: 'ap-southeast-1' }),
    ]);
  });

  it('prices eu-west-1 at its own figure: 10M reads at $0.1415 a million (AWS offer file, EU-ReadRequestUnits)', () => {
    const bill = priceUsage({ service: 'dynamodb', readRequestUnits: 10e6 }, 'eu-west-1');
    // 10 x $0.1415 = $1.415 -> $1.42; us-east-1's $0.125 would give $1.25.
    expect(bill.lines.find((line) => line.key === 'dynamodb.reads')).toMatchObject({
      unitPriceUsd: 0.1415,
      usd: 1.42,
      provenance: 'aws-price-list',
    });
    expect(bill.missing).toEqual([]);
  });

  it('reports the quantity above the last tier AWS gives a figure for as missing', () => {
    // ap-southeast-1's HTTP API figure covers the first 300M requests only.
    const bill = priceUsage(
      { service: 'apigateway', apiType: 'http', requests: 400e6, freeTier: false },
      'ap-southeast-1',
    );
    expect(bill.lines[0]).toMatchObject({ quantity: 300e6, unitPriceUsd: 1.25, usd: 375 });
    expect(bill.missing).toEqual([
      expect.objectContaining({ dimension: 'apigateway.http.requests', quantity: 100e6 }),
    ]);
  });
});
