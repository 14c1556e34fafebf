import type { StageMonth, UsagePart } from './context.js';
import { gb, inPrimary } from './context.js';

/** Average size of a replicated item write. */
const ITEM_KB = 1;

/** The table in every region, its backups, and the writes its replicas copy across regions. */
export function tableParts({ inventory, traffic, profile, cachedReads }: StageMonth): UsagePart[] {
  const parts: UsagePart[] = [];
  const readUnits = (traffic.reads - cachedReads) * profile.readUnitsPerRead;
  const writeUnits = traffic.writes * profile.writeUnitsPerWrite;
  const replicas = Math.max(1, inventory.tableReplicas);
  parts.push({
    service: 'dynamodb',
    usage: {
      readRequestUnits: Math.round(readUnits),
      writeRequestUnits: Math.round(writeUnits),
      // Each replica stores the whole table.
      storageGb: traffic.storageGb * replicas,
      pitr: inventory.pointInTimeRecovery,
      replicatedWriteUnits: Math.round(writeUnits * (replicas - 1)),
      ...(inventory.searchDomains.length > 0 ? { streamReadRequests: Math.round(traffic.writes / 10) } : {}),
    },
  });
  if (inventory.backupRetentionDays > 0) {
    // A daily full backup kept for the retention period.
    parts.push({
      service: 'backup',
      usage: { dynamodbWarmGb: traffic.storageGb * inventory.backupRetentionDays },
      // The backup plan is the primary region's (src/infra/storefront-stack.ts).
      ...inPrimary(inventory),
    });
  }
  if (replicas > 1) {
    parts.push({
      service: 'datatransfer',
      usage: { interRegionGb: gb(traffic.writes * ITEM_KB * (replicas - 1)) },
    });
  }
  return parts;
}

/** Cache nodes, priced together by engine and node type. */
export function cacheNodeParts({ inventory }: StageMonth): UsagePart[] {
  const nodes = new Map<string, { nodeType: string; engine: string; nodes: number }>();
  for (const node of inventory.cacheNodes) {
    const key = `${node.engine}/${node.nodeType}`;
    const entry = nodes.get(key) ?? { nodeType: node.nodeType, engine: node.engine, nodes: 0 };
    entry.nodes += 1;
    nodes.set(key, entry);
  }
  return [...nodes.values()].map((entry) => ({
    service: 'elasticache',
    usage: { mode: 'nodes', ...entry },
    fixedOnly: true,
  }));
}

export function searchDomainParts({ inventory }: StageMonth): UsagePart[] {
  return inventory.searchDomains.map((domain) => ({
    service: 'opensearch',
    usage: { ...domain },
    fixedOnly: true,
  }));
}
