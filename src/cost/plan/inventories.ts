import { join } from 'node:path';
import { capabilitiesOf, type Stage } from '../../platform/stages.js';
import { type Inventory, inventoryFromStageTable, inventoryFromTemplates } from './inventory.js';
import { stageTemplates } from './templates.js';

/**
 * Each stage's inventory: counted from its synthesized templates where its CDK code exists
 * (synthesized once, then cached under .growstack/plan), from the stage table where it does not.
 */
export async function inventoriesOf(
  stages: readonly Stage[],
  options: { root: string; region: string; onSynth?: (stage: Stage) => void },
): Promise<Map<Stage, Inventory>> {
  const inventories = new Map<Stage, Inventory>();
  for (const stage of stages) {
    const templates = await stageTemplates(stage, {
      root: options.root,
      cacheDir: join(options.root, '.growstack', 'plan'),
      primaryRegion: options.region,
      ...(options.onSynth ? { onSynth: () => options.onSynth?.(stage) } : {}),
    });
    inventories.set(
      stage,
      templates
        ? inventoryFromTemplates(templates.templates)
        : inventoryFromStageTable(capabilitiesOf(stage), options.region),
    );
  }
  return inventories;
}
