import { describe, expect, it } from 'vitest';
import { priceUsage } from '../price.js';

describe('EC2 (the enterprise stage’s EKS nodes)', () => {
  it('prices instance-hours at the type’s on-demand rate and the gp3 root volumes per GB-month', () => {
    // 3 x m7g.large x 730 h = 2,190 h x $0.0816 = $178.70; 3 x 20 GB x $0.08 = $4.80.
    const bill = priceUsage({ service: 'ec2', instanceType: 'm7g.large', instances: 3 }, 'us-east-1');
    expect(bill.lines.map((line) => [line.item, line.quantity, line.usd])).toEqual([
      ['m7g.large on-demand (Linux)', 2190, 178.7],
      ['gp3 root volumes', 60, 4.8],
    ]);
    expect(bill.totalUsd).toBe(183.5);
  });

  it('prices each region at its own rate', () => {
    // Singapore: 2,190 h x $0.102 = $223.38; 60 GB x $0.096 = $5.76.
    expect(
      priceUsage({ service: 'ec2', instanceType: 'm7g.large', instances: 3 }, 'ap-southeast-1').totalUsd,
    ).toBe(229.14);
  });

  it('says an instance type it has no price for is not priced, and never prices it at zero', () => {
    const bill = priceUsage({ service: 'ec2', instanceType: 'c7g.xlarge', instances: 2 }, 'us-east-1');
    expect(bill.lines.map((line) => line.item)).toEqual(['gp3 root volumes']);
    expect(bill.notes.join(' ')).toMatch(/c7g\.xlarge on-demand \(Linux\): not priced/);
    expect(bill.missing.map((entry) => entry.dimension)).toEqual(['ec2.c7g.xlarge']);
  });
});
