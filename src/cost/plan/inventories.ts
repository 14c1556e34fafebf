import type { Stage } from '../../contracts/stages.js';
import type { TemplateSource } from '../../contracts/templates.js';
import { CostModelError } from '../errors.js';
import type { Inventory } from './inventory.js';
import { inventoryFromTemplates } from './template-inventory.js';

/**
 * Each stage's inventory, counted from its synthesized templates (the caller's template source
 * synthesizes once, then caches): the one source the plan, the advisor and the ops console price.
 */
export async function inventoriesOf(
  stages: readonly Stage[],
  options: { templatesOf: TemplateSource; region: string; onSynth?: (stage: Stage) => void },
): Promise<Map<Stage, Inventory>> {
  const inventories = new Map<Stage, Inventory>();
  for (const stage of stages) {
    const templates = await options.templatesOf(stage, {
      primaryRegion: options.region,
      ...(options.onSynth ? { onSynth: () => options.onSynth?.(stage) } : {}),
    });
    if (!templates)
      throw new CostModelError(`${stage}: no synthesized templates to price (the stage has no CDK code)`);
    inventories.set(stage, inventoryFromTemplates(templates));
  }
  return inventories;
}
