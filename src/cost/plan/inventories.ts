import { capabilitiesOf, type Stage } from '../../contracts/stages.js';
import type { TemplateSource } from '../../contracts/templates.js';
import type { Inventory } from './inventory.js';
import { inventoryFromStageTable } from './stage-table-inventory.js';
import { inventoryFromTemplates } from './template-inventory.js';

/**
 * Each stage's inventory: counted from its synthesized templates where its CDK code exists (the
 * caller's template source synthesizes once, then caches), from the stage table where it does not.
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
    inventories.set(
      stage,
      templates
        ? inventoryFromTemplates(templates)
        : inventoryFromStageTable(capabilitiesOf(stage), options.region),
    );
  }
  return inventories;
}
