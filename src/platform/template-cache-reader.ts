import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { STAGES } from '../contracts/stages.js';
import {
  type CachedStack,
  type CachedTemplateReader,
  type RegionTemplate,
  TEMPLATE_SOURCES,
} from '../contracts/templates.js';

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((entry) => newestMtime(join(path, entry))));
}

const FILE = new RegExp(`^(${STAGES.join('|')})-[0-9a-f]{16}\\.json$`);

/**
 * Reads the synthesized-templates cache the plan fills, never synthesizing: for each stage, the
 * newest file the plan wrote (one per settings hash), marked stale when the infrastructure code
 * under `root` changed after it. A file is parsed again only when it changes.
 */
export function templateCacheReader(cacheDir: string, root: string): CachedTemplateReader {
  const parsed = new Map<string, { mtimeMs: number; templates: RegionTemplate[] }>();
  return (stage) => {
    if (!existsSync(cacheDir)) return undefined;
    const newest = readdirSync(cacheDir)
      .filter((name) => FILE.exec(name)?.[1] === stage)
      .map((name) => ({ file: join(cacheDir, name), mtimeMs: statSync(join(cacheDir, name)).mtimeMs }))
      .sort((a, b) => b.mtimeMs - a.mtimeMs)[0];
    if (!newest) return undefined;
    let entry = parsed.get(newest.file);
    if (entry?.mtimeMs !== newest.mtimeMs) {
      let stacks: CachedStack[];
      try {
        stacks = JSON.parse(readFileSync(newest.file, 'utf8')) as CachedStack[];
      } catch {
        // Half-written by a plan running now, or damaged: as good as absent until it is rewritten.
        return undefined;
      }
      if (!Array.isArray(stacks)) return undefined;
      entry = {
        mtimeMs: newest.mtimeMs,
        templates: stacks.map((stack) => ({ region: stack.region, ...stack.template })),
      };
      parsed.set(newest.file, entry);
    }
    const sourcesChanged = Math.max(...TEMPLATE_SOURCES.map((source) => newestMtime(join(root, source))));
    return {
      stage,
      templates: entry.templates,
      synthesizedAt: new Date(newest.mtimeMs).toISOString(),
      stale: sourcesChanged > newest.mtimeMs,
    };
  };
}
