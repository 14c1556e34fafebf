import { describe, expect, it } from 'vitest';
import { priceUsage } from '../price.js';

describe('Managed Prometheus', () => {
  it('prices samples ingested, storage and query samples, after the free tier', () => {
    // 100M samples x $0.90/10M = $9.00; 10 GB x $0.03 = $0.30; 2B query samples x $0.10/B = $0.20.
    const usage = { service: 'prometheus', samplesIngested: 100e6, storedGb: 10, querySamples: 2e9 };
    expect(priceUsage({ ...usage, freeTier: false }, 'us-east-1').lines.map((line) => line.usd)).toEqual([
      9, 0.3, 0.2,
    ]);
    // Free: 40M samples, 10 GB and 200B query samples: (100M − 40M) x $0.90/10M = $5.40.
    expect(priceUsage(usage, 'us-east-1').totalUsd).toBe(5.4);
  });

  it('tiers ingestion: the first 2B samples at $0.90 per 10M, the next 250B at $0.35', () => {
    // 2B x $0.90/10M = $180; 1B x $0.35/10M = $35.
    const bill = priceUsage({ service: 'prometheus', samplesIngested: 3e9, freeTier: false }, 'us-east-1');
    expect(bill.lines.filter((line) => line.usd > 0).map((line) => line.usd)).toEqual([180, 35]);
  });
});
