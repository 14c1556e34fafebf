import { describe, expect, it } from 'vitest';
import { cachedTemplates } from '../../../test/support/synth.js';
import { CostModelError } from '../errors.js';
import { inventoriesOf } from './inventories.js';
import { inventoryFromTemplates } from './template-inventory.js';

describe('the inventories the plan prices', () => {
  it('counts each stage from its synthesized templates, asking for the plan’s region', async () => {
    const templates = await cachedTemplates('growing');
    const asked: string[] = [];
    const inventories = await inventoriesOf(['growing'], {
      region: 'us-east-1',
      templatesOf: async (stage, options) => {
        asked.push(`${stage} ${options.primaryRegion}`);
        return templates;
      },
    });
    expect(asked).toEqual(['growing us-east-1']);
    expect(inventories.get('growing')).toEqual(inventoryFromTemplates(templates));
  }, 240_000);

  it('refuses a stage with no templates instead of pricing a stand-in', async () => {
    const plan = inventoriesOf(['startup'], { region: 'us-east-1', templatesOf: async () => null });
    await expect(plan).rejects.toBeInstanceOf(CostModelError);
    await expect(plan).rejects.toThrow(/^startup: no synthesized templates to price/);
  });
});
