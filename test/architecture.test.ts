import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The house rules a reviewer would otherwise have to hold in their head: imports run one way down
// the layers (.dependency-cruiser.cjs, drawn in docs/architecture.md), and no source file grows
// past what a newcomer can read in one sitting.
const ROOT = resolve(import.meta.dirname, '..');
const CRUISER = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruiser.mjs');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const MAX_LINES = 400;
interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string };
  readonly cycle?: readonly { readonly name: string }[];
}

interface Cruise {
  readonly modules: readonly {
    readonly source: string;
    readonly dependencies: readonly { readonly resolved: string }[];
  }[];
  readonly summary: { readonly violations: Violation[] };
}

async function cruise(cwd: string): Promise<Cruise> {
  const run = promisify(execFile);
  const args = [CRUISER, 'src', '--config', CONFIG, '--output-type', 'json'];
  // dependency-cruiser exits non-zero when it finds violations; the report is on stdout either way.
  const { stdout } = await run(process.execPath, args, { cwd, maxBuffer: 64 * 1024 * 1024 }).catch(
    (error: { stdout?: string }) => {
      if (!error.stdout) throw error;
      return { stdout: error.stdout };
    },
  );
  return JSON.parse(stdout) as Cruise;
}

/** `src/<layer>/...` → layer; declaration shims under src/types are not a layer. */
const layerOf = (path: string) => /^src\/([^/]+)\//.exec(path)?.[1];

/** Every arrow between two layers that some import in src/ draws, as "from --> to". */
function layerArrows(graph: Cruise): string[] {
  const arrows = new Set<string>();
  for (const module of graph.modules) {
    const from = layerOf(module.source);
    for (const dependency of module.dependencies) {
      const to = layerOf(dependency.resolved);
      if (from && to && from !== to && from !== 'types' && to !== 'types') arrows.add(`${from} --> ${to}`);
    }
  }
  return [...arrows].sort();
}

const describeViolation = (v: Violation) =>
  `${v.rule.name}: ${v.from} → ${v.cycle ? v.cycle.map((step) => step.name).join(' → ') : v.to}`;

describe('the layers', () => {
  it('import one way only, with no cycle', async () => {
    const graph = await cruise(ROOT);
    expect(graph.summary.violations.map(describeViolation)).toEqual([]);
    // docs/architecture.md draws the layers: its arrows are exactly the ones the code has.
    const doc = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');
    const mermaid = /```mermaid\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    const drawn = [...mermaid.matchAll(/^\s*(\w+) --> (\w+)\s*$/gm)].map(
      ([, from, to]) => `${from} --> ${to}`,
    );
    expect(drawn.sort()).toEqual(layerArrows(graph));
  }, 120_000);

  it('are checked by rules that catch an arrow up and a cycle', async () => {
    const { summary } = await cruise(join(ROOT, 'test', 'fixtures', 'layers'));
    expect(summary.violations.map(describeViolation).sort()).toEqual([
      'contracts-import-nothing-of-ours: src/contracts/ports.ts → src/platform/server.ts',
      'no-cycles: src/cost/plan.ts → src/cost/usage.ts → src/cost/plan.ts',
      'platform-knows-no-product: src/platform/server.ts → src/app/catalog.ts',
    ]);
  }, 60_000);
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe('every source file', () => {
  it(`is at most ${MAX_LINES} lines`, () => {
    const long = sourceFiles(join(ROOT, 'src'))
      .map((path) => ({
        path: relative(ROOT, path),
        lines: readFileSync(path, 'utf8').split('\n').length - 1,
      }))
      .filter((file) => file.lines > MAX_LINES)
      .map((file) => `${file.path}: ${file.lines} lines`);
    expect(long).toEqual([]);
  });
});
