import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/**
 * Dependencies that ship an install script, which `.npmrc` stops from running, and why each works
 * without it. A new one fails the test below until someone reads what its script does.
 */
const BLOCKED_INSTALL_SCRIPTS: Record<string, string> = {
  'node_modules/esbuild':
    'postinstall only checks or links the platform binary; npm installs @esbuild/<platform> as an optional dependency',
  'node_modules/@scarf/scarf': 'install-time usage analytics pulled in by swagger-ui-dist; nothing needs it',
  'node_modules/leveldown':
    "kinesalite's on-disk store; we run kinesalite in memory (memdown), so the native build is never loaded",
};

interface Lockfile {
  lockfileVersion: number;
  packages: Record<string, { hasInstallScript?: boolean; dependencies?: object; devDependencies?: object }>;
}

describe('the supply chain', () => {
  const lock = JSON.parse(read('package-lock.json')) as Lockfile;
  const manifest = JSON.parse(read('package.json')) as { dependencies: object; devDependencies: object };

  it('commits a lockfile that matches package.json', () => {
    const tracked = execFileSync('git', ['ls-files', 'package-lock.json', '.npmrc'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(tracked.split('\n').filter(Boolean).sort()).toEqual(['.npmrc', 'package-lock.json']);
    expect(lock.lockfileVersion).toBe(3);
    expect(lock.packages['']?.dependencies).toEqual(manifest.dependencies);
    expect(lock.packages['']?.devDependencies).toEqual(manifest.devDependencies);
  });

  it('runs no dependency install script, and knows every package that has one', () => {
    expect(read('.npmrc')).toMatch(/^ignore-scripts=true$/m);
    const withScripts = Object.entries(lock.packages)
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([path]) => path)
      .sort();
    expect(withScripts).toEqual(Object.keys(BLOCKED_INSTALL_SCRIPTS).sort());
  });

  it('fails CI on high or critical advisories in production dependencies', () => {
    expect(read('.ci/run')).toMatch(/^node scripts\/audit-deps\.mjs$/m);
    expect(read('scripts/audit-deps.mjs')).toContain("'--omit=dev'");
  });
});
