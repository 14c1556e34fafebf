import { describe, expect, it } from 'vitest';
import { flatRateFor } from './cloudfront-plans.js';

const month = { lambdaEdge: false, shieldAdvanced: false };

describe('CloudFront flat-rate plans', () => {
  it('picks the smallest plan whose requests and transfer allowances hold the month', () => {
    expect(flatRateFor({ ...month, requests: 900_000, transferGb: 90, payAsYouGoUsd: 0 }).plan).toBe('Free');
    // 1.2M requests are past Free's 1M: Pro.
    expect(flatRateFor({ ...month, requests: 1_200_000, transferGb: 90, payAsYouGoUsd: 1 }).plan).toBe('Pro');
    // 200 GB are past Free's 100 GB even with few requests.
    expect(flatRateFor({ ...month, requests: 10_000, transferGb: 200, payAsYouGoUsd: 1 }).plan).toBe('Pro');
    expect(flatRateFor({ ...month, requests: 10_000_001, transferGb: 1, payAsYouGoUsd: 1 }).plan).toBe(
      'Business',
    );
    expect(flatRateFor({ ...month, requests: 400e6, transferGb: 40_000, payAsYouGoUsd: 1 }).plan).toBe(
      'Premium',
    );
  });

  it('says by how much a plan beats or loses to what it replaces', () => {
    // Business $200 against $350.40 of CloudFront and its web ACL: $150.40 cheaper.
    const cheaper = flatRateFor({ ...month, requests: 90e6, transferGb: 2_000, payAsYouGoUsd: 350.4 });
    expect(cheaper.differenceUsd).toBeCloseTo(-150.4, 6);
    expect(cheaper.note).toMatch(
      /Business \(\$200\.00 a month.*\$150\.40 a month cheaper than the \$350\.40/,
    );
    // Pro $15 against $9.10: $5.90 dearer.
    const dearer = flatRateFor({ ...month, requests: 5e6, transferGb: 150, payAsYouGoUsd: 9.1 });
    expect(dearer.differenceUsd).toBeCloseTo(5.9, 6);
    expect(dearer.note).toMatch(/\$5\.90 a month dearer/);
  });

  it('offers none past Premium, or when the stage uses Lambda@Edge or Shield Advanced', () => {
    const big = flatRateFor({ ...month, requests: 600e6, transferGb: 10, payAsYouGoUsd: 1 });
    expect(big.plan).toBeNull();
    expect(big.differenceUsd).toBeNull();
    expect(big.note).toMatch(/none fits 600,000,000 requests/);
    const edge = flatRateFor({
      requests: 1,
      transferGb: 1,
      lambdaEdge: true,
      shieldAdvanced: true,
      payAsYouGoUsd: 1,
    });
    expect(edge.plan).toBeNull();
    expect(edge.note).toMatch(/do not offer Lambda@Edge or Shield Advanced/);
  });
});
