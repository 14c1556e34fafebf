import { describe, expect, it } from 'vitest';
import { compareAnalyticsEngines, gbScannedPerQuery, warehouseRpuHours } from './analytics-engines.js';

describe('Athena against Redshift Serverless for the top-products report', () => {
  it('prices both engines for the month, worked by hand', () => {
    // 36M events a month: 1.2M a day x 2 days x 0.5 KB / 6 (GZIP) = 200,000 KB = 0.19 GB a query;
    // 17,280 queries x 0.19 GB = 3,296 GB = 3.22 TB x $5 = $16.09.
    expect(gbScannedPerQuery(36e6)).toBeCloseTo(200_000 / 1024 ** 2, 9);
    // 8,640 five-minute slots x 60 s x 8 RPUs = 1,152 RPU-hours x $0.375 = $432.00.
    expect(warehouseRpuHours()).toBe(1152);
    const engines = compareAnalyticsEngines(36e6, 'us-east-1');
    expect(engines?.athenaUsd).toBe(16.09);
    expect(engines?.redshiftUsd).toBe(432);
    expect(engines?.note).toMatch(/Athena wins here/);
  });

  it('finds the crossover: where a query scans as much as the warehouse bills for its minute', () => {
    // $432 = 17,280 queries x G GB / 1,024 x $5  ⇒  G = 5.12 GB a query;
    // events = 5.12 x 1,024² KB x 6 x 30 / (2 x 0.5 KB) = 966,367,641 a month.
    const engines = compareAnalyticsEngines(36e6, 'us-east-1');
    expect(engines?.crossoverEvents).toBeGreaterThan(966_367_641 * 0.9999);
    expect(engines?.crossoverEvents).toBeLessThan(966_367_641 * 1.0001);
    expect(compareAnalyticsEngines(2e9, 'us-east-1')?.note).toMatch(/Redshift Serverless wins here/);
  });
});
