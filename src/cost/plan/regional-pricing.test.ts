import { describe, expect, it } from 'vitest';
import { templateInventories } from '../../../test/support/synth.js';
import { planStages } from './plan.js';
import { parseProfile } from './profile.js';

/** Each stage's inventory as growstack plan counts it, from the shared template cache. */
const templated = await templateInventories();

const planAt = (users: number) =>
  planStages({
    profile: parseProfile({}, users),
    region: 'us-east-1',
    inventories: new Map(templated),
  });

describe('a multi-region stage priced at each region’s own prices', () => {
  const plan = planAt(1_000_000);
  const enterprise = plan.stages.find((stage) => stage.stage === 'enterprise')!;
  const scaling = plan.stages.find((stage) => stage.stage === 'scaling')!;
  const lines = (stage: typeof enterprise, key: string) =>
    stage.services.flatMap((service) => service.lines).filter((line) => line.key === key);

  it('prices the eu-west-1 share of the reads at eu-west-1’s figure, not us-east-1’s', () => {
    expect(enterprise.regions).toEqual(['us-east-1', 'eu-west-1', 'ap-southeast-1']);
    const reads = lines(enterprise, 'dynamodb.reads');
    // AWS's offer files: $0.125 a million in us-east-1, $0.1415 in eu-west-1 (EU-ReadRequestUnits).
    expect(reads.find((line) => line.region === 'us-east-1')?.unitPriceUsd).toBe(0.125);
    expect(reads.find((line) => line.region === 'eu-west-1')?.unitPriceUsd).toBe(0.1415);
    // The same quantity in each region: an even third of the stage's reads.
    const [us, eu] = [reads[0]!, reads[1]!];
    expect(eu.quantity).toBeCloseTo(us.quantity, 6);
    // Each line's cost is its own quantity at its own price.
    for (const line of reads)
      expect(line.usd).toBeCloseTo((line.quantity / 1_000_000) * line.unitPriceUsd, 2);
  });

  it('reports the ap-southeast-1 reads as missing instead of pricing them at another region’s figure or zero', () => {
    expect(lines(enterprise, 'dynamodb.reads').some((line) => line.region === 'ap-southeast-1')).toBe(false);
    const missing = enterprise.missing.find(
      (entry) => entry.region === 'ap-southeast-1' && entry.dimension === 'dynamodb.reads',
    );
    expect(missing).toMatchObject({ missing: true, service: 'dynamodb' });
    const us = lines(enterprise, 'dynamodb.reads').find((line) => line.region === 'us-east-1')!;
    expect(missing?.quantity).toBeCloseTo(us.quantity, 6);
  });

  it('prices the scaling stage’s two regions each at its own prices', () => {
    expect(scaling.regions).toEqual(['us-east-1', 'eu-west-1']);
    const nat = lines(scaling, 'natgateway.hours');
    // NAT gateway hours: $0.045 in us-east-1, $0.048 in eu-west-1 (AWS's EC2 offer files).
    expect(Object.fromEntries(nat.map((line) => [line.region, line.unitPriceUsd]))).toEqual({
      'us-east-1': 0.045,
      'eu-west-1': 0.048,
    });
    expect(scaling.notes.join('\n')).toMatch(/each of the 2 regions .* is priced at its own prices/);
    expect(scaling.notes.join('\n')).not.toMatch(/priced at us-east-1 prices/);
  });

  it('prices what only the primary region deploys (the user pool, analytics, backups) there alone', () => {
    for (const key of [
      'cognito.essentials',
      'kinesis.onDemandStreamHours',
      'athena.tbScanned',
      'backup.dynamodbWarm',
    ])
      expect([...new Set(lines(enterprise, key).map((line) => line.region))], key).toEqual(['us-east-1']);
    // One million MAUs less the 10,000 free: all of them in us-east-1's pool, none reported missing.
    expect(lines(enterprise, 'cognito.essentials')[0]?.quantity).toBe(990_000);
    expect(enterprise.missing.filter((entry) => entry.service === 'cognito')).toEqual([]);
  });

  it('prices Route 53 once, at its global price', () => {
    const zones = lines(enterprise, 'route53.zones');
    expect(zones.map((line) => line.region)).toEqual(['us-east-1']);
  });

  it('counts lines priced from secondary data and names the prices it used', () => {
    const secondary = enterprise.services
      .flatMap((service) => service.lines)
      .filter((line) => line.provenance === 'secondary');
    expect(secondary.length).toBeGreaterThan(0);
    expect(enterprise.secondaryLines).toBe(secondary.length);
    expect(plan.prices).toMatchObject({ kind: 'shipped' });
    expect(plan.prices.newest).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('reports a configured region the price list does not cover as missing, not at the primary’s prices', () => {
    const inventory = {
      ...templated.get('scaling')!,
      regions: ['us-east-1', 'us-west-2'],
    };
    const [stage] = planStages({
      profile: parseProfile({}, 1_000_000),
      region: 'us-east-1',
      inventories: new Map([['scaling', inventory]]),
    }).stages;
    expect(stage?.notes.join('\n')).toMatch(
      /us-west-2: not priced, the price list covers us-east-1, eu-west-1, ap-southeast-1/,
    );
    const lines = stage!.services.flatMap((service) => service.lines);
    expect(lines.some((line) => line.region === 'us-west-2')).toBe(false);
    const nat = stage!.missing.find(
      (entry) => entry.region === 'us-west-2' && entry.dimension === 'natgateway.hours',
    );
    const usNat = lines.find((line) => line.region === 'us-east-1' && line.key === 'natgateway.hours');
    expect(nat?.quantity).toBe(usNat?.quantity);
  });
});
