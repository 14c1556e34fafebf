import { beforeAll, describe, expect, it } from 'vitest';
import { cachedTemplates } from '../../../test/support/synth.js';
import type { Stage } from '../../contracts/stages.js';
import type { Inventory } from './inventory.js';
import { planStages } from './plan.js';
import { parseProfile } from './profile.js';
import { inventoryFromTemplates } from './template-inventory.js';

const inventories = {} as Record<'athena' | 'redshift', Inventory>;

beforeAll(async () => {
  // The shared template cache: the migrate suite reads the same two syntheses.
  inventories.athena = inventoryFromTemplates(await cachedTemplates('enterprise'));
  inventories.redshift = inventoryFromTemplates(
    await cachedTemplates('enterprise', { analyticsEngine: 'redshift' }),
  );
}, 360_000);

const enterprisePlan = (inventory: Inventory) => {
  const [stage] = planStages({
    profile: parseProfile({}, 1_000_000),
    region: 'us-east-1',
    inventories: new Map<Stage, Inventory>([['enterprise', inventory]]),
  }).stages;
  if (!stage) throw new Error('no enterprise stage in the plan');
  return stage;
};

describe('the enterprise stage priced from its templates, by analytics engine', () => {
  it('reads the warehouse at its base capacity from the redshift variant, and no Athena workgroup', () => {
    expect(inventories.redshift.warehouses).toEqual([8]);
    expect(inventories.redshift.queryWorkgroups).toBe(0);
    expect(inventories.athena.warehouses).toEqual([]);
    expect(inventories.athena.queryWorkgroups).toBe(1);
  });

  it('prices a Redshift Serverless line instead of the Athena queries', () => {
    const redshift = enterprisePlan(inventories.redshift);
    const athena = enterprisePlan(inventories.athena);
    const service = (stage: typeof redshift, name: string) =>
      stage.services.find((candidate) => candidate.service === name);
    // Five-minute reports, both windows: 8,640 slots x 60 s x 8 RPUs = 1,152 RPU-hours x $0.375
    // (us-east-1) = $432.00 of compute, whatever the traffic.
    const compute = service(redshift, 'redshift')?.lines.find((line) => line.key === 'redshift.rpuHours');
    expect(compute).toMatchObject({ quantity: 1152, unitPriceUsd: 0.375, usd: 432, region: 'us-east-1' });
    expect(service(redshift, 'athena')).toBeUndefined();
    expect(service(athena, 'redshift')).toBeUndefined();
    expect(service(athena, 'athena')?.totalUsd).toBeGreaterThan(0);
    // Everything else is the same stage, but for AWS Config, which records the warehouse's own
    // resources too (its VPC, subnets, security group, roles): more configuration items.
    const others = (stage: typeof redshift) =>
      stage.services
        .filter((cost) => !['redshift', 'athena', 'config'].includes(cost.service))
        .map((cost) => [cost.service, cost.totalUsd]);
    expect(others(redshift)).toEqual(others(athena));
    const items = (stage: typeof redshift) =>
      service(stage, 'config')?.lines.find((line) => line.item === 'Configuration items recorded')
        ?.quantity ?? 0;
    expect(items(redshift)).toBeGreaterThan(items(athena));
    expect(redshift.notes.join('\n')).toMatch(/Athena wins here/);
  });
});
