import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript beside the CLI's launcher, without type declarations.
import { compiledEntry } from '../bin/compiled-cli.mjs';

const compile = compiledEntry as (root: string, entry: string) => Promise<string | undefined>;

/** A project of three modules, compiled as `npm start` compiles the CLI. */
function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'growstack-compiled-'));
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'tsconfig.json'), '{"compilerOptions":{"target":"ES2022","module":"NodeNext"}}');
  writeFileSync(
    join(root, 'src', 'main.ts'),
    [
      "export { here, banner } from './where.js';",
      "export const later = (): Promise<unknown> => import('./later.js');",
    ].join('\n'),
  );
  writeFileSync(
    join(root, 'src', 'where.ts'),
    [
      'export const here: string = import.meta.dirname;',
      // The same words inside a string are text, not the expression.
      "export const banner = 'createRequire(import.meta.url)';",
    ].join('\n'),
  );
  writeFileSync(
    join(root, 'src', 'later.ts'),
    '(globalThis as Record<string, unknown>).laterLoaded = true; export const value = 1;',
  );
  return root;
}

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

describe('the compiled CLI (what npm start runs)', () => {
  it('keeps import.meta naming the source file, and each dynamic import a chunk loaded when reached', async () => {
    const root = project();
    roots.push(root);
    const url = await compile(root, 'src/main.ts');
    expect(url).toMatch(/^file:.*node_modules\/\.cache\/growstack\/cli\/build-.*\/main\.js$/);
    const compiled = (await import(url as string)) as {
      here: string;
      banner: string;
      later: () => Promise<unknown>;
    };
    expect(compiled.here).toBe(join(root, 'src'));
    expect(compiled.banner).toBe('createRequire(import.meta.url)');
    expect((globalThis as Record<string, unknown>).laterLoaded).toBeUndefined();
    await compiled.later();
    expect((globalThis as Record<string, unknown>).laterLoaded).toBe(true);
  });

  it('reuses a build while its sources are unchanged, and rebuilds when one changes', async () => {
    const root = project();
    roots.push(root);
    const first = await compile(root, 'src/main.ts');
    expect(await compile(root, 'src/main.ts')).toBe(first);
    writeFileSync(join(root, 'src', 'where.ts'), "export const here = 'edited'; export const banner = '';");
    const second = await compile(root, 'src/main.ts');
    expect(second).not.toBe(first);
    expect(((await import(second as string)) as { here: string }).here).toBe('edited');
  });

  it('falls back to the sources (undefined) when they do not compile', async () => {
    const root = project();
    roots.push(root);
    writeFileSync(join(root, 'src', 'where.ts'), 'export const here = ;');
    expect(await compile(root, 'src/main.ts')).toBeUndefined();
  });
});
